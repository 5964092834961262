package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A text far longer than the model takes, chunked into windows, is encoded a group of windows at a
 * time with progress after each group, rather than all its windows at once: memory holds one group
 * however long the text.
 */
class LongTextTest {
    private static final int BATCH = 4;
    private static final int STRIDE = 32;

    /** One worker, so that the groups are the same size on any machine. */
    private static SentenceTransformer model;

    @BeforeAll
    static void load() {
        model = SentenceTransformer.load(Shared.MINILM, LoadOptions.defaults().withThreads(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aChunkedTextIsEncodedAGroupOfWindowsAtATimeWithProgress() {
        StringBuilder text = new StringBuilder();
        List<String> paragraphs = Shared.lines("reference/edge-cases.txt");
        while (model.tokenizer().windows(text.toString(), STRIDE).size() < 40) {
            paragraphs.forEach(paragraph -> text.append(paragraph).append(' '));
        }
        int windows = model.tokenizer().windows(text.toString(), STRIDE).size();
        List<Double> reported = new ArrayList<>();
        EncodeOptions chunked = EncodeOptions.defaults().withLongInputs(LongInputs.CHUNK).withChunkStride(STRIDE)
                .withBatchSize(BATCH);

        float[][] vectors = model.encode(List.of("A short text.", text.toString()), chunked.withProgress((done, total) -> {
            assertThat(total).isEqualTo(2);
            reported.add(done);
        }));

        // The short text first, all at once; then the long one's windows, group by group.
        assertThat(reported.get(0)).isEqualTo(1.0);
        List<Integer> steps = new ArrayList<>();
        int before = 0;
        for (double done : reported.subList(1, reported.size())) {
            int encoded = (int) Math.round((done - 1) * windows);
            steps.add(encoded - before);
            before = encoded;
        }
        assertThat(before).as("windows encoded in all").isEqualTo(windows);
        int group = steps.get(0);
        assertThat(steps).as("windows per step, of %d", windows).hasSizeGreaterThan(1);
        assertThat(group).as("a group is whole batches, four to a worker").isEqualTo(4 * BATCH);
        assertThat(steps.subList(0, steps.size() - 1)).allMatch(step -> step == group);
        assertThat(steps.get(steps.size() - 1)).isBetween(1, group);
        // The same vectors as without progress, and the short text's as alone.
        float[][] plain = model.encode(List.of("A short text.", text.toString()), chunked);
        assertThat(vectors[1]).containsExactly(plain[1], within(1e-6f));
        assertThat(vectors[0]).containsExactly(model.encode("A short text."), within(1e-6f));
    }
}
