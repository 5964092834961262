package dev.sentence4j.server;

import dev.sentence4j.EncodeResult;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TokenizedTexts;

/**
 * The model's encoder behind a gate: calls wait until the test opens it, so that a test can hold
 * requests in flight or let requests queue up behind them.
 */
final class GatedEncoder implements Encoder {
    private final SentenceTransformer model;
    private final Gate gate = new Gate();

    GatedEncoder(SentenceTransformer model) {
        this.model = model;
    }

    @Override
    public EncodeResult encode(TokenizedTexts<String> texts) {
        gate.pass();
        return model.encodeWithDetails(texts);
    }

    /** Waits until one more call has reached the gate. */
    void awaitEntered() throws InterruptedException {
        gate.awaitArrival();
    }

    void open() {
        gate.open();
    }
}
