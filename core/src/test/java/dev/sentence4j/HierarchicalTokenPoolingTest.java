package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.multivector.HierarchicalTokenPooling;
import dev.sentence4j.multivector.TextRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HierarchicalTokenPooling as sentence-transformers 6 runs it (its {@code token_pooling.py}: Ward linkage
 * on {@code 1 - cosine} by SciPy, {@code fcluster(maxclust)}, cluster means after the protected tokens).
 * The expected groups come from Ward's definition applied the slow way here: merge the two closest
 * clusters, again and again, updating distances by the Lance-Williams formula, until the wanted number is
 * left; the order of the groups from working SciPy's numbering out by hand.
 */
class HierarchicalTokenPoolingTest {
    private static final List<String> DOCUMENTS = List.of("Paris, the capital: of France!",
            "The Earth is about 4.5 billion years old; scientists dated it with rocks and meteorites.",
            "Rivers (like the Seine) flow through many cities. " + "Water moves to the sea again and again. ".repeat(8),
            "short");

    @TempDir
    Path temp;

    @Test
    void groupsComeInTheOrderSciPyNumbersThem() {
        // Three close pairs on the unit circle: (c, d) merge first, then (a, b), then (e, f); (c, d) then joins
        // (a, b). SciPy's root then has (e, f) on its left, the smaller id, so its walk meets (e, f) first,
        // then (c, d), then (a, b).
        float[] cls = unit(45);
        float[] a = unit(0);
        float[] b = unit(2);
        float[] c = unit(90);
        float[] d = unit(91);
        float[] e = unit(180);
        float[] f = unit(183);
        HierarchicalTokenPooling pooling = new HierarchicalTokenPooling(2, 1, Set.of(TextRole.DOCUMENT));

        float[][] pooled = pooling.pool(new float[][] {cls, a, b, c, d, e, f});

        assertClose(pooled, new float[][] {cls, mean(e, f), mean(c, d), mean(a, b)}, 1e-6);
    }

    @Test
    void poolsIntoTheClustersOfWardLinkage() {
        Random random = new Random(5);
        for (int factor : new int[] {2, 3, 4}) {
            float[][] tokens = new float[31][];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = randomUnit(random, 8);
            }
            HierarchicalTokenPooling pooling = new HierarchicalTokenPooling(factor, 1, Set.of(TextRole.DOCUMENT));

            float[][] pooled = pooling.pool(tokens);

            assertThat(pooled).hasNumberOfRows(1 + 30 / factor);
            assertThat(pooled[0]).isEqualTo(tokens[0]);
            assertSameRows(Arrays.copyOfRange(pooled, 1, pooled.length), wardMeans(Arrays.copyOfRange(tokens, 1, 31), 30 / factor));
        }
    }

    @Test
    void leavesWhatItCannotShortenAndOtherRolesAlone() {
        float[][] two = {unit(0), unit(10)};
        HierarchicalTokenPooling pooling = new HierarchicalTokenPooling(2, 1, Set.of(TextRole.DOCUMENT));
        // One token to pool into at least one cluster: nothing to do.
        assertThat(pooling.pool(two)).isDeepEqualTo(two);
        assertThat(pooling.appliesTo(TextRole.QUERY)).isFalse();
        assertThat(new HierarchicalTokenPooling(1, 1, Set.of(TextRole.DOCUMENT)).appliesTo(TextRole.DOCUMENT)).isFalse();
        float[][] pooledAll = new HierarchicalTokenPooling(4, 0, Set.of(TextRole.QUERY)).pool(new float[][] {unit(0), unit(1), unit(50)});
        assertClose(pooledAll, new float[][] {mean(unit(0), unit(1), unit(50))}, 1e-6);
    }

    @Test
    void aModelEndingInTheModulePoolsItsDocumentsAndNotItsQueries() throws IOException {
        Path plain = MultiVectorFolders.colbert(temp, "plain", MultiVectorFolders.Spec.bert());
        Path pooled = MultiVectorFolders.colbert(temp, "pooled", MultiVectorFolders.Spec.bert());
        withPooling(pooled, "{\"pool_factor\": 2, \"num_protected_tokens\": 1, \"tasks\": [\"document\"]}");
        try (MultiVectorEncoder expected = MultiVectorEncoder.load(plain.toString());
                MultiVectorEncoder model = MultiVectorEncoder.load(pooled.toString())) {
            assertThat(model.describe().modules()).last().asString().startsWith("HierarchicalTokenPooling(pool_factor 2");
            List<String> queries = List.of("How old is the Earth?");
            assertClose(model.encodeQuery(queries).get(0), expected.encodeQuery(queries).get(0), 1e-6);
            List<float[][]> documents = model.encodeDocument(DOCUMENTS);
            List<float[][]> unpooled = expected.encodeDocument(DOCUMENTS);
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                float[][] tokens = unpooled.get(i);
                int rest = tokens.length - 1;
                assertThat(documents.get(i)).hasNumberOfRows(1 + Math.max(rest / 2, 1));
                assertThat(documents.get(i)[0]).isEqualTo(tokens[0]);
                assertSameRows(Arrays.copyOfRange(documents.get(i), 1, documents.get(i).length),
                        wardMeans(Arrays.copyOfRange(tokens, 1, tokens.length), Math.max(rest / 2, 1)));
            }
        }
    }

    @Test
    void aBadPoolFactorIsRefusedNamingFileFieldAndValue() throws IOException {
        Path folder = MultiVectorFolders.colbert(temp, "bad", MultiVectorFolders.Spec.bert());
        withPooling(folder, "{\"pool_factor\": 0, \"num_protected_tokens\": 1, \"tasks\": [\"document\"]}");
        assertThatThrownBy(() -> MultiVectorEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("4_HierarchicalTokenPooling")
                .hasMessageContaining("pool_factor must be at least 1")
                .hasMessageContaining("got 0");
    }

    /** Adds the module as sentence-transformers saves it: its config.json, listed last in modules.json. */
    private static void withPooling(Path folder, String config) throws IOException {
        Path module = Files.createDirectories(folder.resolve("4_HierarchicalTokenPooling"));
        Files.writeString(module.resolve("config.json"), config);
        ArrayNode modules = (ArrayNode) MultiVectorFolders.JSON.readTree(folder.resolve("modules.json").toFile());
        ObjectNode entry = modules.addObject();
        entry.put("idx", 4).put("name", "4").put("path", "4_HierarchicalTokenPooling")
                .put("type", "sentence_transformers.multi_vector_encoder.modules.token_pooling.HierarchicalTokenPooling");
        MultiVectorFolders.write(folder.resolve("modules.json"), modules);
    }

    /** The means of the clusters Ward linkage leaves at {@code k}, by merging the closest pair step by step. */
    private static float[][] wardMeans(float[][] tokens, int k) {
        int n = tokens.length;
        if (k >= n) {
            return tokens;
        }
        List<List<Integer>> clusters = new ArrayList<>();
        double[][] distance = new double[n][n];
        for (int i = 0; i < n; i++) {
            clusters.add(new ArrayList<>(List.of(i)));
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int x = 0; x < tokens[i].length; x++) {
                    dot += (double) tokens[i][x] * tokens[j][x];
                }
                distance[i][j] = Math.min(2, Math.max(0, 1 - dot));
            }
        }
        boolean[] gone = new boolean[n];
        for (int left = n; left > k; left--) {
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (!gone[i] && !gone[j] && (bi < 0 || distance[i][j] < distance[bi][bj])) {
                        bi = i;
                        bj = j;
                    }
                }
            }
            double dij = distance[bi][bj];
            int ni = clusters.get(bi).size();
            int nj = clusters.get(bj).size();
            for (int m = 0; m < n; m++) {
                if (gone[m] || m == bi || m == bj) {
                    continue;
                }
                int nm = clusters.get(m).size();
                double total = ni + nj + nm;
                double merged = Math.sqrt(((nm + ni) * distance[bi][m] * distance[bi][m] + (nm + nj) * distance[bj][m]
                        * distance[bj][m] - nm * dij * dij) / total);
                distance[bj][m] = merged;
                distance[m][bj] = merged;
            }
            clusters.get(bj).addAll(clusters.get(bi));
            gone[bi] = true;
        }
        List<float[]> means = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!gone[i]) {
                means.add(mean(clusters.get(i).stream().map(t -> tokens[t]).toArray(float[][]::new)));
            }
        }
        return means.toArray(new float[0][]);
    }

    private static void assertSameRows(float[][] actual, float[][] expected) {
        assertClose(sorted(actual), sorted(expected), 1e-5);
    }

    private static float[][] sorted(float[][] rows) {
        float[][] copy = rows.clone();
        Arrays.sort(copy, Comparator.comparingDouble((float[] row) -> row[0]).thenComparingDouble(row -> row[1]));
        return copy;
    }

    private static float[] mean(float[]... vectors) {
        double[] sum = new double[vectors[0].length];
        for (float[] vector : vectors) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += vector[k];
            }
        }
        float[] mean = new float[sum.length];
        for (int k = 0; k < sum.length; k++) {
            mean[k] = (float) (sum[k] / vectors.length);
        }
        return mean;
    }

    private static float[] unit(double degrees) {
        return new float[] {(float) Math.cos(Math.toRadians(degrees)), (float) Math.sin(Math.toRadians(degrees))};
    }

    private static float[] randomUnit(Random random, int dim) {
        double[] values = new double[dim];
        double norm = 0;
        for (int k = 0; k < dim; k++) {
            values[k] = random.nextGaussian();
            norm += values[k] * values[k];
        }
        float[] vector = new float[dim];
        for (int k = 0; k < dim; k++) {
            vector[k] = (float) (values[k] / Math.sqrt(norm));
        }
        return vector;
    }
}
