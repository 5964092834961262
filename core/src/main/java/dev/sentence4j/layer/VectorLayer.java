package dev.sentence4j.layer;

import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Features;

/** A module that maps each pooled sentence vector to a new one. Implementations are immutable and thread-safe. */
public interface VectorLayer extends FeatureModule {
    /** The layer applied to one vector; returns a new array. */
    float[] apply(float[] vector);

    /** The length of the vectors this layer gives for inputs of the given length. */
    int outputDimension(int inputDimension);

    /** Each sentence vector through the layer. */
    @Override
    default Features apply(Features in) {
        float[][] vectors = new float[in.sentence().length][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = apply(in.sentence()[i]);
        }
        return in.withSentence(vectors);
    }

    @Override
    default Feature reads() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    default Feature gives() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    default int inputWidth() {
        return 0;
    }

    @Override
    default String inputWidthKey() {
        return "in_features";
    }

    @Override
    default int outputWidth(int width) {
        return outputDimension(width);
    }
}
