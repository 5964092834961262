package dev.sentence4j.server;

import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TokenizedTexts;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The model's encoder behind a gate: calls wait until the test opens it, so that a test can hold
 * requests in flight or let requests queue up behind them.
 */
final class GatedEncoder implements Encoder {
    private final SentenceTransformer model;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);

    GatedEncoder(SentenceTransformer model) {
        this.model = model;
    }

    @Override
    public EncodeResult encode(TokenizedTexts<String> texts) {
        entered.release();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return model.encodeWithDetails(texts);
    }

    /** Waits until one more call has reached the gate. */
    void awaitEntered() throws InterruptedException {
        if (!entered.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the calls never reached the encoder");
        }
    }

    void open() {
        gate.countDown();
    }
}
