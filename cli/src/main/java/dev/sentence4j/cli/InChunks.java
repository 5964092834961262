package dev.sentence4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * Works through a long list of texts a chunk at a time, showing {@link Progress} on stderr after each:
 * a bar on a terminal, otherwise lines for lists of more than one chunk.
 */
final class InChunks {
    /** Texts per chunk: keeps what one step holds bounded, and paces progress. */
    static final int SIZE = 1024;

    /** One step of the work, on one chunk. */
    interface Step<T> {
        void run(List<T> chunk) throws IOException;
    }

    private InChunks() {}

    static <T> void run(List<T> items, PrintWriter err, Step<T> step) throws IOException {
        try (Progress progress = new Progress(err, items.size(), Progress.styleFor(items.size(), SIZE), System::nanoTime)) {
            for (int start = 0; start < items.size(); start += SIZE) {
                int end = Math.min(items.size(), start + SIZE);
                step.run(items.subList(start, end));
                progress.update(end);
            }
        }
    }

    /** Every text's vector by {@code encoder}, in order, encoded a chunk at a time. */
    static float[][] encode(List<String> texts, PrintWriter err, Function<List<String>, float[][]> encoder) {
        float[][] vectors = new float[texts.size()][];
        int[] done = {0};
        try {
            run(texts, err, chunk -> {
                float[][] encoded = encoder.apply(chunk);
                System.arraycopy(encoded, 0, vectors, done[0], encoded.length);
                done[0] += encoded.length;
            });
        } catch (IOException e) {
            throw new AssertionError("encoding writes no file", e);
        }
        return vectors;
    }
}
