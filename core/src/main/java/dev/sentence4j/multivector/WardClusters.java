package dev.sentence4j.multivector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Flat clusters of points by Ward linkage, as SciPy's {@code linkage(y, method="ward")} followed by
 * {@code fcluster(Z, k, criterion="maxclust")} makes them, label numbers included: the nearest-neighbour
 * chain with the Lance-Williams update for Ward, the merges sorted by height (stably) and relabelled, then
 * the lowest cut that leaves at most {@code k} clusters, numbered in the order a left-first walk of the
 * tree meets them.
 */
final class WardClusters {
    private WardClusters() {}

    /**
     * Each point's cluster, numbered from 1.
     *
     * @param condensed the distances of every pair {@code i < j}, row by row, as SciPy's condensed form
     * @param n the number of points, at least 2
     * @param maxClusters the most clusters, at least 1
     */
    static int[] labels(double[] condensed, int n, int maxClusters) {
        double[][] tree = relabelled(chain(condensed, n), n);
        double[] heights = maxHeights(tree, n);
        return cut(tree, heights, n, cutoff(tree, heights, n, maxClusters));
    }

    private static int index(int n, int i, int j) {
        return i < j ? n * i - i * (i + 1) / 2 + (j - i - 1) : n * j - j * (j + 1) / 2 + (i - j - 1);
    }

    /** The merges {@code [x, y, height, size]} in the order the nearest-neighbour chain finds them. */
    private static double[][] chain(double[] condensed, int n) {
        double[] d = condensed.clone();
        int[] size = new int[n];
        Arrays.fill(size, 1);
        int[] links = new int[n];
        int length = 0;
        double[][] merges = new double[n - 1][];
        for (int k = 0; k < n - 1; k++) {
            if (length == 0) {
                length = 1;
                for (int i = 0; i < n; i++) {
                    if (size[i] > 0) {
                        links[0] = i;
                        break;
                    }
                }
            }
            int x;
            int y = 0;
            double nearest;
            while (true) {
                x = links[length - 1];
                // Prefer the previous element of the chain, as SciPy does, so the chain cannot cycle.
                if (length > 1) {
                    y = links[length - 2];
                    nearest = d[index(n, x, y)];
                } else {
                    nearest = Double.POSITIVE_INFINITY;
                }
                for (int i = 0; i < n; i++) {
                    if (size[i] == 0 || i == x) {
                        continue;
                    }
                    double distance = d[index(n, x, i)];
                    if (distance < nearest) {
                        nearest = distance;
                        y = i;
                    }
                }
                if (length > 1 && y == links[length - 2]) {
                    break;
                }
                links[length++] = y;
            }
            length -= 2;
            if (x > y) {
                int swap = x;
                x = y;
                y = swap;
            }
            int nx = size[x];
            int ny = size[y];
            merges[k] = new double[] {x, y, nearest, nx + ny};
            size[x] = 0;
            size[y] = nx + ny;
            for (int i = 0; i < n; i++) {
                int ni = size[i];
                if (ni == 0 || i == y) {
                    continue;
                }
                double dxi = d[index(n, i, x)];
                double dyi = d[index(n, i, y)];
                double t = 1.0 / (nx + ny + ni);
                d[index(n, i, y)] = Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * nearest * nearest);
            }
        }
        return merges;
    }

    /** The merges sorted by height (ties in the order found), each child named by its cluster's id as SciPy's {@code label}. */
    private static double[][] relabelled(double[][] merges, int n) {
        List<double[]> sorted = new ArrayList<>(List.of(merges));
        // NaN heights (a non-Euclidean input) go last, as NumPy sorts them.
        sorted.sort(Comparator.comparingDouble((double[] merge) -> merge[2]));
        int[] parent = new int[2 * n - 1];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        int[] sizes = new int[2 * n - 1];
        Arrays.fill(sizes, 0, n, 1);
        double[][] tree = new double[n - 1][];
        for (int i = 0; i < n - 1; i++) {
            double[] merge = sorted.get(i);
            int xRoot = find(parent, (int) merge[0]);
            int yRoot = find(parent, (int) merge[1]);
            int next = n + i;
            parent[xRoot] = next;
            parent[yRoot] = next;
            sizes[next] = sizes[xRoot] + sizes[yRoot];
            tree[i] = new double[] {Math.min(xRoot, yRoot), Math.max(xRoot, yRoot), merge[2], sizes[next]};
        }
        return tree;
    }

    private static int find(int[] parent, int node) {
        int root = node;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[node] != root) {
            int next = parent[node];
            parent[node] = root;
            node = next;
        }
        return root;
    }

    /** Each merge's highest height in its subtree (its own, for Ward's monotone heights). */
    private static double[] maxHeights(double[][] tree, int n) {
        double[] max = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            double height = tree[i][2];
            for (int c = 0; c < 2; c++) {
                int child = (int) tree[i][c];
                if (child >= n && max[child - n] > height) {
                    height = max[child - n];
                }
            }
            max[i] = height;
        }
        return max;
    }

    /**
     * SciPy's bisection for the lowest height whose cut leaves at most {@code maxClusters} clusters, over
     * the merges' heights in order. With two points and one cluster SciPy reads past its array; the root's
     * height, which puts both in one cluster, is what it means.
     */
    private static double cutoff(double[][] tree, double[] heights, int n, int maxClusters) {
        int lower = 0;
        int upper = n - 1;
        while (upper - lower > 1) {
            int i = (lower + upper) >> 1;
            if (clustersAt(tree, heights, n, heights[i], maxClusters) > maxClusters) {
                lower = i;
            } else {
                upper = i;
            }
        }
        return heights[Math.min(upper, n - 2)];
    }

    /** How many clusters the cut at {@code threshold} leaves, counting only until it passes {@code limit}. */
    private static int clustersAt(double[][] tree, double[] heights, int n, double threshold, int limit) {
        boolean[] visited = new boolean[2 * n - 1];
        int[] stack = new int[n];
        int count = 0;
        int k = 0;
        stack[0] = 2 * n - 2;
        while (k >= 0) {
            int root = stack[k] - n;
            int left = (int) tree[root][0];
            int right = (int) tree[root][1];
            if (heights[root] <= threshold) {
                if (++count > limit) {
                    return count;
                }
                k--;
                visited[left] = true;
                visited[right] = true;
                continue;
            }
            boolean descended = false;
            for (int child : new int[] {left, right}) {
                if (!visited[child]) {
                    visited[child] = true;
                    if (child >= n) {
                        stack[++k] = child;
                        descended = true;
                        break;
                    }
                    if (++count > limit) {
                        return count;
                    }
                }
            }
            if (!descended) {
                k--;
            }
        }
        return count;
    }

    /** The clusters of the cut at {@code cutoff}, numbered from 1 in a left-first walk, as SciPy's {@code cluster_monocrit}. */
    private static int[] cut(double[][] tree, double[] heights, int n, double cutoff) {
        int[] labels = new int[n];
        boolean[] visited = new boolean[2 * n - 1];
        int[] stack = new int[n];
        int clusters = 0;
        int leader = -1;
        int k = 0;
        stack[0] = 2 * n - 2;
        while (k >= 0) {
            int root = stack[k] - n;
            int left = (int) tree[root][0];
            int right = (int) tree[root][1];
            if (leader == -1 && heights[root] <= cutoff) {
                leader = root;
                clusters++;
            }
            if (left >= n && !visited[left]) {
                visited[left] = true;
                stack[++k] = left;
                continue;
            }
            if (right >= n && !visited[right]) {
                visited[right] = true;
                stack[++k] = right;
                continue;
            }
            if (left < n) {
                if (leader == -1) {
                    clusters++;
                }
                labels[left] = clusters;
            }
            if (right < n) {
                if (leader == -1) {
                    clusters++;
                }
                labels[right] = clusters;
            }
            if (leader == root) {
                leader = -1;
            }
            k--;
        }
        return labels;
    }
}
