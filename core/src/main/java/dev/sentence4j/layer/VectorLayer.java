package dev.sentence4j.layer;

/** A module that maps each pooled sentence vector to a new one. Implementations are immutable and thread-safe. */
public interface VectorLayer {
    /** The layer applied to one vector; returns a new array. */
    float[] apply(float[] vector);

    /** The length of the vectors this layer gives for inputs of the given length. */
    int outputDimension(int inputDimension);
}
