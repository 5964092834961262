package dev.sentence4j.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The best {@code k} of a stream of scored corpus positions: higher scores first, equal scores by
 * lower position. A heap with the worst kept hit on top, held in primitive arrays because it sees
 * every corpus vector.
 */
final class TopHits {
    private final int[] indices;
    private final float[] scores;
    private int size;

    TopHits(int k) {
        indices = new int[k];
        scores = new float[k];
    }

    /** Keeps the hit if it is among the best {@code k} so far. */
    void offer(int index, float score) {
        if (size < indices.length) {
            indices[size] = index;
            scores[size] = score;
            siftUp(size++);
        } else if (size > 0 && better(index, score, indices[0], scores[0])) {
            indices[0] = index;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** The kept hits, best first. */
    List<Hit> best() {
        List<Hit> hits = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            hits.add(new Hit(indices[i], scores[i]));
        }
        hits.sort(TopHits::compareBestFirst);
        return hits;
    }

    /** Orders hits best first: higher score, then lower position. */
    static int compareBestFirst(Hit a, Hit b) {
        int byScore = Float.compare(b.score(), a.score());
        return byScore != 0 ? byScore : Integer.compare(a.corpusIndex(), b.corpusIndex());
    }

    private static boolean better(int index, float score, int otherIndex, float otherScore) {
        int byScore = Float.compare(score, otherScore);
        return byScore > 0 || byScore == 0 && index < otherIndex;
    }

    private void siftUp(int child) {
        while (child > 0) {
            int parent = (child - 1) / 2;
            if (!better(indices[parent], scores[parent], indices[child], scores[child])) {
                return;
            }
            swap(parent, child);
            child = parent;
        }
    }

    private void siftDown(int parent) {
        while (true) {
            int worst = parent;
            for (int child = 2 * parent + 1; child <= 2 * parent + 2 && child < size; child++) {
                if (better(indices[worst], scores[worst], indices[child], scores[child])) {
                    worst = child;
                }
            }
            if (worst == parent) {
                return;
            }
            swap(parent, worst);
            parent = worst;
        }
    }

    private void swap(int i, int j) {
        int index = indices[i];
        indices[i] = indices[j];
        indices[j] = index;
        float score = scores[i];
        scores[i] = scores[j];
        scores[j] = score;
    }
}
