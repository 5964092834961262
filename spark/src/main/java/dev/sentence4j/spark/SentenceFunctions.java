package dev.sentence4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Sentence vectors as a SQL function: after {@code SentenceFunctions.register(spark, "embed", model)},
 * {@code SELECT id, embed(text) FROM docs} gives each text's vector ({@code array<float>}; null for a
 * null text). The function encodes one row per call, as Spark calls it; for bulk work
 * {@link SentenceEmbedder} encodes a partition's texts in length-sorted batches and is faster.
 */
public final class SentenceFunctions {
    private SentenceFunctions() {}

    /** Registers {@code name(text)} giving the vectors of a model (an id or a folder) with the default options. */
    public static void register(SparkSession spark, String name, String model) {
        register(spark, name, new SentenceEmbedder().setModel(model));
    }

    /**
     * Registers {@code name(text)} giving the vectors an embedder's settings give: model, normalization,
     * prompt, truncate dim, precision, output type and long-input policy (its columns are not used).
     *
     * @throws IllegalArgumentException for settings that do not go together
     */
    public static void register(SparkSession spark, String name, SentenceEmbedder settings) {
        EncodeSettings encode = settings.settings();
        spark.udf().register(name, new EmbedFunction(encode), encode.column().dataType());
    }
}
