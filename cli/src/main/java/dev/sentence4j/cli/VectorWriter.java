package dev.sentence4j.cli;

import java.io.Closeable;
import java.io.IOException;

/** Writes vectors to a file one at a time, so that no more than one needs to be in memory. */
interface VectorWriter extends Closeable {
    /** Appends the next vector. */
    void write(float[] vector) throws IOException;

    /** Appends the next quantized vector. */
    void write(byte[] vector) throws IOException;
}
