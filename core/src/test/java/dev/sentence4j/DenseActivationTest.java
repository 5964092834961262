package dev.sentence4j;

import static dev.sentence4j.TinyFolders.ids;
import static dev.sentence4j.TinyFolders.module;
import static dev.sentence4j.TinyFolders.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.weights.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dense with each activation sentence-transformers can save (PyTorch's class, made with no arguments),
 * and Dropout skipped, on a static table; each expected value computed here from the table, the layer's
 * weights and the activation's definition (GELU's erf by numerical integration).
 */
class DenseActivationTest {
    private static final int IN = 6;
    private static final int OUT = 5;
    private static final List<String> VOCABULARY = TinyFolders.vocabulary(10);
    private static final float[] TABLE = TinyFolders.random(VOCABULARY.size() * IN, 21);
    private static final float[] WEIGHT = scaled(TinyFolders.random(OUT * IN, 22), 4);
    private static final float[] BIAS = TinyFolders.random(OUT, 23);
    private static final List<String> TEXTS = List.of("w1 w2", "w3", "w4 w5 w6 w9", "w0 w8");
    private static final Map<String, DoubleUnaryOperator> DEFINITIONS = new LinkedHashMap<>();

    static {
        DEFINITIONS.put("torch.nn.modules.linear.Identity", x -> x);
        DEFINITIONS.put("torch.nn.modules.activation.Tanh", Math::tanh);
        DEFINITIONS.put("torch.nn.modules.activation.ReLU", x -> x > 0 ? x : 0);
        DEFINITIONS.put("torch.nn.modules.activation.Sigmoid", x -> 1 / (1 + Math.exp(-x)));
        DEFINITIONS.put("torch.nn.modules.activation.SiLU", x -> x / (1 + Math.exp(-x)));
        DEFINITIONS.put("torch.nn.modules.activation.GELU", x -> x * 0.5 * (1 + erfByIntegration(x / Math.sqrt(2))));
        DEFINITIONS.put("torch.nn.modules.activation.ReLU6", x -> x < 0 ? 0 : x > 6 ? 6 : x);
        DEFINITIONS.put("torch.nn.modules.activation.LeakyReLU", x -> x < 0 ? x / 100 : x);
        DEFINITIONS.put("torch.nn.modules.activation.ELU", x -> x < 0 ? Math.exp(x) - 1 : x);
        DEFINITIONS.put("torch.nn.modules.activation.CELU", x -> x < 0 ? Math.exp(x) - 1 : x);
        DEFINITIONS.put("torch.nn.modules.activation.SELU",
                x -> 1.0507009873554805 * (x < 0 ? 1.6732632423543772 * (Math.exp(x) - 1) : x));
        DEFINITIONS.put("torch.nn.modules.activation.Mish", x -> x * Math.tanh(Math.log(1 + Math.exp(x))));
        DEFINITIONS.put("torch.nn.modules.activation.Softplus", x -> Math.log(1 + Math.exp(x)));
        DEFINITIONS.put("torch.nn.modules.activation.Softsign", x -> x / (1 + Math.abs(x)));
        DEFINITIONS.put("torch.nn.modules.activation.Tanhshrink", x -> x - Math.tanh(x));
        DEFINITIONS.put("torch.nn.modules.activation.LogSigmoid", x -> Math.log(1 / (1 + Math.exp(-x))));
        DEFINITIONS.put("torch.nn.modules.activation.Hardtanh", x -> x < -1 ? -1 : x > 1 ? 1 : x);
        DEFINITIONS.put("torch.nn.modules.activation.Hardsigmoid", x -> x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5);
        DEFINITIONS.put("torch.nn.modules.activation.Hardswish", x -> x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6);
        DEFINITIONS.put("torch.nn.modules.activation.Softshrink", x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0);
        DEFINITIONS.put("torch.nn.modules.activation.Hardshrink", x -> Math.abs(x) > 0.5 ? x : 0);
    }

    @TempDir
    Path temp;

    private static float[] scaled(float[] values, float factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return values;
    }

    /** erf(z) = 2/sqrt(pi) * integral of exp(-t^2) from 0 to z, by Simpson's rule on 20,000 intervals. */
    private static double erfByIntegration(double z) {
        int n = 20_000;
        double h = z / n;
        double sum = 1 + Math.exp(-z * z);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }

    /** A static table, then Dropout, then Dense with the activation, as sentence-transformers 6 lays them out. */
    private Path folder(String name, Object activation) {
        return folder(name, activation, OUT, WEIGHT, BIAS, null);
    }

    /**
     * As {@link #folder(String, Object)}, with {@code out} outputs; {@code residual}, when not null, turns on
     * {@code use_residual}, and when not empty is the {@code residual.weight} that projects the input.
     */
    private Path folder(String name, Object activation, int out, float[] weight, float[] bias, float[] residual) {
        Path folder = temp.resolve(name);
        TinyFolders.writeTokenizer(folder, VOCABULARY);
        Map<String, SafeTensors.Tensor> table = Map.of("embedding.weight",
                new SafeTensors.Tensor(new long[] {VOCABULARY.size(), IN}, TABLE));
        TinyFolders.writeWeights(folder, table);
        TinyFolders.writeJson(folder.resolve("1_Dropout/config.json"), Map.of("dropout", 0.1));
        Map<String, Object> dense = new LinkedHashMap<>();
        dense.put("in_features", IN);
        dense.put("out_features", out);
        dense.put("bias", true);
        dense.put("activation_function", activation);
        if (residual != null) {
            dense.put("use_residual", true);
        }
        TinyFolders.writeJson(folder.resolve("2_Dense/config.json"), dense);
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        weights.put("linear.weight", new SafeTensors.Tensor(new long[] {out, IN}, weight));
        weights.put("linear.bias", new SafeTensors.Tensor(new long[] {out}, bias));
        if (residual != null && residual.length > 0) {
            weights.put("residual.weight", new SafeTensors.Tensor(new long[] {out, IN}, residual));
        }
        TinyFolders.writeWeights(folder.resolve("2_Dense"), weights);
        TinyFolders.writeJson(folder.resolve("modules.json"), List.of(
                module(0, "", "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding"),
                module(1, "1_Dropout", "sentence_transformers.sentence_transformer.modules.dropout.Dropout"),
                module(2, "2_Dense", "sentence_transformers.base.modules.dense.Dense")));
        TinyFolders.writeSentenceTransformersConfig(folder, "SentenceTransformer", "cosine");
        return folder;
    }

    /** The mean of the text's rows of the table: what reaches Dense. */
    private static double[] meanRow(String text) {
        int[] ids = ids(VOCABULARY, text);
        double[] mean = new double[IN];
        for (int id : ids) {
            float[] vector = row(TABLE, IN, id);
            for (int i = 0; i < IN; i++) {
                mean[i] += (double) vector[i] / ids.length;
            }
        }
        return mean;
    }

    /** {@code m[row] . x} for a row-major {@code [rows, IN]} matrix. */
    private static double dot(float[] matrix, int row, double[] x) {
        double sum = 0;
        for (int i = 0; i < IN; i++) {
            sum += matrix[row * IN + i] * x[i];
        }
        return sum;
    }

    @Test
    void useResidualAddsTheInputWhenTheSizesMatch() {
        float[] weight = TinyFolders.random(IN * IN, 24);
        float[] bias = TinyFolders.random(IN, 25);
        try (SentenceTransformer model = SentenceTransformer.load(
                folder("residual-same", "torch.nn.modules.activation.Tanh", IN, weight, bias, new float[0]).toString())) {
            float[][] vectors = model.encode(TEXTS);
            for (int t = 0; t < TEXTS.size(); t++) {
                double[] x = meanRow(TEXTS.get(t));
                float[] expected = new float[IN];
                for (int o = 0; o < IN; o++) {
                    // forward(): activation(linear(x)) + x
                    expected[o] = (float) (Math.tanh(bias[o] + dot(weight, o, x)) + x[o]);
                }
                VectorAssertions.assertClose(vectors[t], expected, 2e-6);
            }
        }
    }

    @Test
    void useResidualAddsTheInputsProjectionWhenTheSizesDiffer() {
        float[] residual = TinyFolders.random(OUT * IN, 26);
        try (SentenceTransformer model = SentenceTransformer.load(
                folder("residual-projected", "torch.nn.modules.activation.Tanh", OUT, WEIGHT, BIAS, residual).toString())) {
            float[][] vectors = model.encode(TEXTS);
            for (int t = 0; t < TEXTS.size(); t++) {
                double[] x = meanRow(TEXTS.get(t));
                float[] expected = new float[OUT];
                for (int o = 0; o < OUT; o++) {
                    // forward(): activation(linear(x)) + residual(x), residual an nn.Linear without bias
                    expected[o] = (float) (Math.tanh(BIAS[o] + dot(WEIGHT, o, x)) + dot(residual, o, x));
                }
                VectorAssertions.assertClose(vectors[t], expected, 2e-6);
            }
        }
    }

    @Test
    void useResidualWithoutItsProjectionIsNamed() {
        Path folder = folder("residual-missing", "torch.nn.modules.activation.Tanh", OUT, WEIGHT, BIAS, new float[0]);

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("residual.weight");
    }

    private static float[] expected(String text, DoubleUnaryOperator activation) {
        double[] mean = meanRow(text);
        float[] out = new float[OUT];
        for (int o = 0; o < OUT; o++) {
            out[o] = (float) activation.applyAsDouble(BIAS[o] + dot(WEIGHT, o, mean));
        }
        return out;
    }

    @Test
    void everyActivationGivesItsDefinitionAndDropoutNothing() {
        for (Map.Entry<String, DoubleUnaryOperator> activation : DEFINITIONS.entrySet()) {
            String name = activation.getKey().substring(activation.getKey().lastIndexOf('.') + 1);
            try (SentenceTransformer model = SentenceTransformer.load(folder(name, activation.getKey()).toString())) {
                float[][] vectors = model.encode(TEXTS);
                for (int t = 0; t < TEXTS.size(); t++) {
                    float[] expected = expected(TEXTS.get(t), activation.getValue());
                    for (int o = 0; o < OUT; o++) {
                        assertThat(vectors[t][o]).as("%s of text %d, output %d", name, t, o)
                                .isCloseTo(expected[o], org.assertj.core.data.Offset.offset(2e-6f));
                    }
                }
                assertThat(model.describe().modules()).as(name).hasSize(3).element(1).asString().startsWith("Dropout");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"torch.nn.modules.activation.Threshold", "torch.nn.modules.activation.Swish"})
    void anActivationSentence4jDoesNotKnowIsNamedWithItsFileAndField(String activation) {
        Path folder = folder("unknown" + activation.hashCode(), activation);

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("2_Dense/config.json") + ": activation_function is '" + activation + "'")
                .hasMessageContaining("torch.nn.modules.activation.GELU");
    }

    @Test
    void aClassOutsideTorchFallsBackToTanhAsWithoutTrustRemoteCode() {
        try (SentenceTransformer model = SentenceTransformer.load(folder("custom", "my_package.Swish").toString())) {
            float[][] vectors = model.encode(TEXTS);
            for (int t = 0; t < TEXTS.size(); t++) {
                VectorAssertions.assertClose(vectors[t], expected(TEXTS.get(t), Math::tanh), 2e-6);
            }
        }
    }

    @Test
    void aDropoutRateOutsideZeroToOneIsNamed() {
        Path folder = folder("rate", "torch.nn.modules.activation.Tanh");
        TinyFolders.writeJson(folder.resolve("1_Dropout/config.json"), Map.of("dropout", 1.5));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("1_Dropout/config.json") + ": dropout is 1.5; it must be a rate from 0 to 1");
    }
}
