package dev.sentence4j.layer;

import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.similarity.UnitLength;

/**
 * The {@code Normalize} module: L2 normalization, as PyTorch's {@code F.normalize(p=2)}; a zero
 * vector stays zero.
 */
public final class Normalize implements VectorLayer {
    /**
     * Reads a Normalize module: 6.x writes a {@code config.json} naming what it normalizes. Older
     * versions, which named the type {@code sentence_transformers.models.Normalize}, wrote none, so
     * theirs is not even looked for (a Hub cache they filled then needs no request).
     *
     * @throws dev.sentence4j.model.ModelLoadException if it normalizes anything but the sentence embedding
     */
    public static Normalize read(ModuleFolder module) {
        if (!module.type().startsWith("sentence_transformers.models.")) {
            module.configIfExists("config.json").ifPresent(SentenceEmbedding::requireIt);
        }
        return new Normalize();
    }

    /**
     * Reads a Normalize module of a multi-vector model, which normalizes each token's vector.
     *
     * @throws dev.sentence4j.model.ModelLoadException if it normalizes anything but the token embeddings
     */
    public static Normalize readTokenLevel(ModuleFolder module) {
        SentenceEmbedding.requireTokens(module.config("config.json"), SentenceEmbedding.NAME);
        return new Normalize();
    }

    @Override
    public float[] apply(float[] vector) {
        return l2(vector);
    }

    @Override
    public boolean normalizes() {
        return true;
    }

    @Override
    public int outputDimension(int inputDimension) {
        return inputDimension;
    }

    @Override
    public String toString() {
        return "Normalize";
    }

    /** The vector scaled to length 1 (a new array), as {@link UnitLength#of}. */
    public static float[] l2(float[] vector) {
        return UnitLength.of(vector);
    }

    /** Each vector scaled to length 1 (new arrays). */
    public static float[][] l2(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = UnitLength.of(vectors[i]);
        }
        return out;
    }

    /** The L2 norm of a vector, as {@link UnitLength#norm}. */
    public static double norm(float[] vector) {
        return UnitLength.norm(vector);
    }
}
