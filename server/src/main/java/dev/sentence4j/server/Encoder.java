package dev.sentence4j.server;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import java.util.List;

/** What runs a merged batch: the model's {@code encodeWithDetails}. */
@FunctionalInterface
interface Encoder {
    EncodeResult encode(List<String> texts, EncodeOptions options);
}
