package dev.sentence4j.layer;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The activation functions a {@link Dense} layer or a CrossEncoder may apply, named by their PyTorch
 * class. sentence-transformers saves only the class and makes it with no arguments, so each is
 * PyTorch's default: {@code GELU} is the exact (erf) form, {@code LeakyReLU} has slope 0.01,
 * {@code Softplus} beta 1 and threshold 20, {@code ELU} and {@code CELU} alpha 1, {@code Hardtanh} the range
 * [-1, 1], {@code Softshrink} and {@code Hardshrink} lambda 0.5.
 */
public enum Activation {
    IDENTITY("torch.nn.modules.linear.Identity"),
    TANH("torch.nn.modules.activation.Tanh"),
    RELU("torch.nn.modules.activation.ReLU"),
    SIGMOID("torch.nn.modules.activation.Sigmoid"),
    SILU("torch.nn.modules.activation.SiLU"),
    GELU("torch.nn.modules.activation.GELU"),
    RELU6("torch.nn.modules.activation.ReLU6"),
    LEAKY_RELU("torch.nn.modules.activation.LeakyReLU"),
    ELU("torch.nn.modules.activation.ELU"),
    CELU("torch.nn.modules.activation.CELU"),
    SELU("torch.nn.modules.activation.SELU"),
    MISH("torch.nn.modules.activation.Mish"),
    SOFTPLUS("torch.nn.modules.activation.Softplus"),
    SOFTSIGN("torch.nn.modules.activation.Softsign"),
    TANHSHRINK("torch.nn.modules.activation.Tanhshrink"),
    LOG_SIGMOID("torch.nn.modules.activation.LogSigmoid"),
    HARDTANH("torch.nn.modules.activation.Hardtanh"),
    HARDSIGMOID("torch.nn.modules.activation.Hardsigmoid"),
    HARDSWISH("torch.nn.modules.activation.Hardswish"),
    SOFTSHRINK("torch.nn.modules.activation.Softshrink"),
    HARDSHRINK("torch.nn.modules.activation.Hardshrink");

    /** SELU's constants, as PyTorch defines them. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_HALF = Math.sqrt(0.5);

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
        return switch (this) {
            case IDENTITY -> x;
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(0, x);
            case SIGMOID -> sigmoid(x);
            case SILU -> x * sigmoid(x);
            case GELU -> 0.5 * x * (1 + Erf.erf(x * SQRT_HALF));
            case RELU6 -> Math.min(Math.max(0, x), 6);
            case LEAKY_RELU -> x >= 0 ? x : 0.01 * x;
            case ELU, CELU -> x > 0 ? x : Math.expm1(x);
            case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case MISH -> x * Math.tanh(softplus(x));
            case SOFTPLUS -> softplus(x);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case TANHSHRINK -> x - Math.tanh(x);
            case LOG_SIGMOID -> -softplus(-x);
            case HARDTANH -> Math.min(Math.max(-1, x), 1);
            case HARDSIGMOID -> Math.min(Math.max(0, x / 6 + 0.5), 1);
            case HARDSWISH -> x * Math.min(Math.max(0, x + 3), 6) / 6;
            case SOFTSHRINK -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0;
            case HARDSHRINK -> Math.abs(x) > 0.5 ? x : 0;
        };
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code log(1 + e^x)}, linear above 20 as PyTorch's default threshold makes it. */
    private static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }
}
