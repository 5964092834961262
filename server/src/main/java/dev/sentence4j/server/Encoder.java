package dev.sentence4j.server;

import dev.sentence4j.EncodeResult;
import dev.sentence4j.TokenizedTexts;

/** What runs a merged batch: the model's {@code encodeWithDetails}, on texts each request tokenized. */
@FunctionalInterface
interface Encoder {
    EncodeResult encode(TokenizedTexts<String> texts);
}
