package dev.sentence4j.bench;

import dev.sentence4j.similarity.MultiVectorSimilarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MaxSim of one query of 32 tokens against 1,000 documents of 180 tokens at 128 dimensions (ColBERT's
 * sizes): {@link MultiVectorSimilarity#MAXSIM} against the straightforward loop (for each query token, for
 * each document token, a dot product; keep the largest; sum). Both do 2 × 32 × 1,000 × 180 × 128 =
 * 1.47 GFLOP per call; divide by the time per call for the float throughput.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class MaxSimThroughput {
    static final int QUERY_TOKENS = 32;
    static final int DOCUMENTS = 1_000;
    static final int DOCUMENT_TOKENS = 180;
    static final int DIMENSION = 128;

    List<float[][]> query;
    List<float[][]> documents;

    @Setup
    public void vectors() {
        Random random = new Random(42);
        query = List.<float[][]>of(block(random, QUERY_TOKENS));
        documents = new ArrayList<>(DOCUMENTS);
        for (int d = 0; d < DOCUMENTS; d++) {
            documents.add(block(random, DOCUMENT_TOKENS));
        }
        float[] ours = maxSim();
        float[] loop = loop();
        for (int d = 0; d < DOCUMENTS; d++) {
            if (Math.abs(ours[d] - loop[d]) > 1e-3) {
                throw new IllegalStateException("document " + d + ": MaxSim " + ours[d] + ", the loop " + loop[d]);
            }
        }
    }

    private static float[][] block(Random random, int tokens) {
        float[][] block = new float[tokens][DIMENSION];
        for (float[] vector : block) {
            double norm = 0;
            for (int k = 0; k < DIMENSION; k++) {
                vector[k] = (float) random.nextGaussian();
                norm += vector[k] * vector[k];
            }
            for (int k = 0; k < DIMENSION; k++) {
                vector[k] /= (float) Math.sqrt(norm);
            }
        }
        return block;
    }

    @Benchmark
    public float[] maxSim() {
        return MultiVectorSimilarity.MAXSIM.matrix(query, documents)[0];
    }

    @Benchmark
    public float[] loop() {
        float[][] q = query.get(0);
        float[] scores = new float[documents.size()];
        for (int d = 0; d < scores.length; d++) {
            float total = 0;
            for (float[] queryToken : q) {
                float best = Float.NEGATIVE_INFINITY;
                for (float[] documentToken : documents.get(d)) {
                    float dot = 0;
                    for (int k = 0; k < queryToken.length; k++) {
                        dot += queryToken[k] * documentToken[k];
                    }
                    best = Math.max(best, dot);
                }
                total += best;
            }
            scores[d] = total;
        }
        return scores;
    }
}
