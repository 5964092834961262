package dev.sentence4j.multivector;

import dev.sentence4j.module.Module;

/**
 * A module that pools each text's token vectors into fewer, to store less (sentence-transformers'
 * {@code BaseTokenPooling}); it runs after every other module of a multi-vector model, on the texts of
 * the roles it names. Implementations are immutable and thread-safe.
 */
public interface TokenPooling extends Module {
    /** Whether it pools texts of this role ({@code tasks}; documents by default). */
    boolean appliesTo(TextRole role);

    /** One text's token vectors, {@code [tokens][dim]}, pooled: a new block; the input is not changed. */
    float[][] pool(float[][] tokens);
}
