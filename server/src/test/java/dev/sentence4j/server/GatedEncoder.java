package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The model's encoder behind a gate: calls wait until the test opens it, so that a test can hold
 * requests in flight or let requests queue up behind them.
 */
final class GatedEncoder implements Encoder {
    private final SentenceTransformer model;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch entered;

    /**
     * @param calls how many calls {@link #awaitEntered()} waits for
     */
    GatedEncoder(SentenceTransformer model, int calls) {
        this.model = model;
        this.entered = new CountDownLatch(calls);
    }

    @Override
    public EncodeResult encode(List<String> texts, EncodeOptions options) {
        entered.countDown();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return model.encodeWithDetails(texts, options);
    }

    /** Waits until the expected number of calls are held at the gate. */
    void awaitEntered() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the calls never reached the encoder");
        }
    }

    void open() {
        gate.countDown();
    }
}
