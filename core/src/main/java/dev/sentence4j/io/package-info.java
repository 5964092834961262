/**
 * User data formats: NumPy {@code .npy} vectors that Python reads with {@code numpy.load}, text lines
 * and CSV lines.
 */
package dev.sentence4j.io;
