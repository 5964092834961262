/**
 * Model weights: tensors from safetensors files and from PyTorch checkpoints ({@code torch.save}'s zip
 * and legacy formats), read without running any of their pickle code.
 */
package dev.sentence4j.weights;
