/** File formats for vectors: NumPy {@code .npy} files that Python reads with {@code numpy.load}. */
package dev.sentence4j.io;
