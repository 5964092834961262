package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.TokenizedTexts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merging on the real model. Each test first holds both runners at a gate, queues its requests
 * behind them, then opens the gate, so that what the runners take next is known.
 */
class BatcherTest {
    private static final EncodeOptions OPTIONS = EncodeOptions.defaults();
    private static SentenceTransformer model;

    @BeforeAll
    static void load() {
        model = TestModels.get(Shared.MINILM);
    }

    /** The model behind a gate, remembering the texts of every call and failing calls that hold "poison". */
    private static final class Recording implements Encoder {
        final GatedEncoder gated = new GatedEncoder(model);
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public EncodeResult encode(TokenizedTexts<String> texts) {
            calls.add(List.copyOf(texts.texts()));
            if (texts.texts().contains("poison")) {
                throw new IllegalStateException("poisoned");
            }
            return gated.encode(texts);
        }

        /** The calls after the two that held the runners. */
        List<List<String>> laterCalls() {
            return calls.subList(2, calls.size());
        }
    }

    /** Submits texts as the server does: tokenized once, by the model. */
    private static CompletableFuture<Batcher.Result<float[]>> submit(Batcher<String, EncodeOptions, float[]> batcher,
            List<String> texts, EncodeOptions options, int tokens) {
        return batcher.submit(model.tokenize(texts, options), options, tokens);
    }

    private static Batcher<String, EncodeOptions, float[]> heldBatcher(Recording encoder, int maxBatchTokens)
            throws InterruptedException {
        Batcher<String, EncodeOptions, float[]> batcher = new Batcher<>(
                texts -> List.of(encoder.encode(texts).vectors()), maxBatchTokens, ModelMetrics.unnamed());
        submit(batcher, List.of("hold one"), OPTIONS, 4);
        encoder.gated.awaitEntered();
        submit(batcher, List.of("hold two"), OPTIONS, 4);
        encoder.gated.awaitEntered();
        return batcher;
    }

    @Test
    void mergesQueuedRequestsIntoOneCallAndGivesEachItsOwnVectors() throws Exception {
        Recording encoder = new Recording();
        List<List<String>> requests = List.of(List.of("A man is eating food."), List.of("A man is riding a horse.", "Rain."),
                List.of("The cat sleeps on the mat.", "Two dogs run.", "A plane is taking off."), List.of("Hello."));
        List<CompletableFuture<Batcher.Result<float[]>>> results = new ArrayList<>();
        try (Batcher<String, EncodeOptions, float[]> batcher = heldBatcher(encoder, 16384)) {
            for (List<String> texts : requests) {
                results.add(submit(batcher, texts, OPTIONS, 10));
            }
            encoder.gated.open();
            for (int i = 0; i < requests.size(); i++) {
                assertClose(results.get(i).get().outputs().toArray(float[][]::new), model.encode(requests.get(i)), REFERENCE_TOLERANCE);
            }
        }
        assertThat(encoder.laterCalls()).containsExactly(requests.stream().flatMap(List::stream).toList());
    }

    @Test
    void keepsEachBatchWithinTheTokenBudget() throws Exception {
        Recording encoder = new Recording();
        List<CompletableFuture<Batcher.Result<float[]>>> results = new ArrayList<>();
        try (Batcher<String, EncodeOptions, float[]> batcher = heldBatcher(encoder, 100)) {
            for (int i = 0; i < 5; i++) {
                results.add(submit(batcher, List.of("text " + i), OPTIONS, 40));
            }
            // One request over the budget still runs, alone.
            results.add(submit(batcher, List.of("big"), OPTIONS, 500));
            encoder.gated.open();
            for (CompletableFuture<Batcher.Result<float[]>> result : results) {
                assertThat(result.get().outputs().toArray(float[][]::new)).hasNumberOfRows(1);
            }
        }
        assertThat(encoder.laterCalls()).allSatisfy(call -> assertThat(call.size()).isLessThanOrEqualTo(2));
        assertThat(encoder.laterCalls()).contains(List.of("big"));
        assertThat(encoder.laterCalls().stream().mapToInt(List::size).sum()).isEqualTo(6);
    }

    @Test
    void aFailingRequestFailsAloneAndTheOthersInItsBatchGetTheirVectors() throws Exception {
        Recording encoder = new Recording();
        try (Batcher<String, EncodeOptions, float[]> batcher = heldBatcher(encoder, 16384)) {
            CompletableFuture<Batcher.Result<float[]>> before = submit(batcher, List.of("A man is eating food."), OPTIONS, 10);
            CompletableFuture<Batcher.Result<float[]>> poisoned = submit(batcher, List.of("fine", "poison"), OPTIONS, 10);
            CompletableFuture<Batcher.Result<float[]>> after = submit(batcher, List.of("Two dogs run.", "Rain."), OPTIONS, 10);
            encoder.gated.open();

            assertClose(before.get().outputs().toArray(float[][]::new), model.encode(List.of("A man is eating food.")), REFERENCE_TOLERANCE);
            assertClose(after.get().outputs().toArray(float[][]::new), model.encode(List.of("Two dogs run.", "Rain.")), REFERENCE_TOLERANCE);
            assertThatThrownBy(poisoned::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("poisoned");
        }
        assertThat(encoder.laterCalls()).containsExactly(
                List.of("A man is eating food.", "fine", "poison", "Two dogs run.", "Rain."),
                List.of("A man is eating food."), List.of("fine", "poison"), List.of("Two dogs run.", "Rain."));
    }

    @Test
    void requestsWithOtherOptionsShareABatchButNotACall() throws Exception {
        Recording encoder = new Recording();
        EncodeOptions raw = OPTIONS.withNormalize(false);
        try (Batcher<String, EncodeOptions, float[]> batcher = heldBatcher(encoder, 16384)) {
            CompletableFuture<Batcher.Result<float[]>> normalized = submit(batcher, List.of("one"), OPTIONS, 3);
            CompletableFuture<Batcher.Result<float[]>> unnormalized = submit(batcher, List.of("two"), raw, 3);
            CompletableFuture<Batcher.Result<float[]>> normalizedToo = submit(batcher, List.of("three"), OPTIONS, 3);
            encoder.gated.open();

            assertClose(normalized.get().outputs().toArray(float[][]::new), model.encode(List.of("one")), REFERENCE_TOLERANCE);
            assertClose(unnormalized.get().outputs().toArray(float[][]::new), model.encode(List.of("two"), raw), REFERENCE_TOLERANCE);
            assertClose(normalizedToo.get().outputs().toArray(float[][]::new), model.encode(List.of("three")), REFERENCE_TOLERANCE);
        }
        assertThat(encoder.laterCalls()).containsExactly(List.of("one", "three"), List.of("two"));
    }

    @Test
    void closingWaitsForTheCallsRunningAndFailsWhatIsStillQueued() throws Exception {
        Recording encoder = new Recording();
        Batcher<String, EncodeOptions, float[]> batcher = heldBatcher(encoder, 16384);
        CompletableFuture<Batcher.Result<float[]>> queued = submit(batcher, List.of("queued"), OPTIONS, 3);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);
        assertThatThrownBy(queued::get).hasRootCauseMessage("the server stopped before this request ran");
        assertThat(closing).isNotDone();

        encoder.gated.open();
        closing.get();

        assertThat(encoder.calls).containsExactly(List.of("hold one"), List.of("hold two"));
        assertThatThrownBy(() -> submit(batcher, List.of("late"), OPTIONS, 3).get())
                .hasCauseInstanceOf(ApiException.class).hasRootCauseMessage("the server is stopping");
    }
}
