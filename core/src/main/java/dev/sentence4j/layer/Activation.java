package dev.sentence4j.layer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The activation functions a {@link Dense} layer or a CrossEncoder may apply, named by their PyTorch class. */
public enum Activation {
    IDENTITY("torch.nn.modules.linear.Identity"),
    TANH("torch.nn.modules.activation.Tanh"),
    RELU("torch.nn.modules.activation.ReLU"),
    SIGMOID("torch.nn.modules.activation.Sigmoid"),
    SILU("torch.nn.modules.activation.SiLU");

    private final String torchClass;

    Activation(String torchClass) {
        this.torchClass = torchClass;
    }

    /** The PyTorch class name a Dense config writes in {@code activation_function}. */
    public String torchClass() {
        return torchClass;
    }

    /**
     * The activation a PyTorch class name stands for; the short name ({@code "Tanh"}) is accepted too.
     *
     * @throws IllegalArgumentException listing the supported names
     */
    public static Activation fromTorchClass(String name) {
        return Arrays.stream(values())
                .filter(a -> a.torchClass.equals(name) || a.torchClass.endsWith("." + name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("activation '" + name + "' is not supported (supported: "
                        + Arrays.stream(values()).map(Activation::torchClass).collect(Collectors.joining(", ")) + ")"));
    }

    /** The function's value at {@code x}. */
    public double apply(double x) {
        switch (this) {
            case IDENTITY:
                return x;
            case TANH:
                return Math.tanh(x);
            case RELU:
                return Math.max(0, x);
            case SIGMOID:
                return 1 / (1 + Math.exp(-x));
            case SILU:
                return x / (1 + Math.exp(-x));
            default:
                throw new AssertionError(this);
        }
    }
}
