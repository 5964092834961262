/**
 * File formats: NumPy {@code .npy} vectors that Python reads with {@code numpy.load}, text lines, CSV
 * lines, and module weights from safetensors files or from PyTorch checkpoints, which are read without
 * running any of their pickle code.
 */
package dev.sentence4j.io;
