package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.tokenize.LibraryTokens;
import dev.sentence4j.weights.SafeTensors;
import dev.sentence4j.weights.TorchSave;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model folders built from the real all-MiniLM-L6-v2 ONNX with each pooling mode, Dense and LayerNorm
 * modules, and prompts; every result is checked against plain loops over the token embeddings.
 */
class ModelSemanticsTest {
    private static final String TRANSFORMER = "sentence_transformers.models.Transformer";
    private static final String POOLING = "sentence_transformers.models.Pooling";
    /** How far the model's float32 kernels may stray from the loops by hand, which sum in double. */
    private static final double BY_HAND = 2e-5;

    @TempDir
    static Path temp;
    private static List<String> texts;
    private static SentenceTransformer base;

    @BeforeAll
    static void load() {
        texts = Shared.lines("data/seed-sentences.txt");
        base = TestModels.get(Shared.MINILM);
    }

    /** The transformer's real token vectors of each text, from the unmodified model. */
    private static List<float[][]> tokens(List<String> inputs) {
        return base.encodeTokens(inputs, EncodeOptions.defaults());
    }

    private static Path folder(String name, String poolingConfig, String... extraModules) throws IOException {
        Path folder = ModelFolders.miniLm(temp, name);
        Files.writeString(folder.resolve("1_Pooling/config.json"), poolingConfig);
        StringBuilder modules = new StringBuilder("[" + module(0, "", TRANSFORMER) + "," + module(1, "1_Pooling", POOLING));
        for (int i = 0; i < extraModules.length; i += 2) {
            modules.append(',').append(module(i / 2 + 2, extraModules[i], "sentence_transformers.models." + extraModules[i + 1]));
        }
        Files.writeString(folder.resolve("modules.json"), modules + "]");
        return folder;
    }

    private static String module(int index, String path, String type) {
        return "{\"idx\":" + index + ",\"name\":\"" + index + "\",\"path\":\"" + path + "\",\"type\":\"" + type + "\"}";
    }

    private static String pooling(String... modes) {
        StringBuilder json = new StringBuilder("{\"word_embedding_dimension\": 384");
        for (String mode : modes) {
            json.append(", \"").append(mode).append("\": true");
        }
        return json.append('}').toString();
    }

    /** Pooling by hand over the real tokens of one text, skipping its first {@code skip} (prompt) tokens. */
    private static float[] poolByHand(float[][] tokens, String mode, int skip) {
        int n = tokens.length;
        float[] out = new float[384];
        switch (mode) {
            case "cls" -> out = tokens[0].clone();
            case "lasttoken" -> out = tokens[n - 1].clone();
            case "max" -> {
                java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
                for (int t = skip; t < n; t++) {
                    for (int d = 0; d < 384; d++) {
                        out[d] = Math.max(out[d], tokens[t][d]);
                    }
                }
            }
            default -> {
                double[] sum = new double[384];
                double weights = 0;
                for (int t = skip; t < n; t++) {
                    double w = mode.equals("weightedmean") ? t + 1 : 1;
                    weights += w;
                    for (int d = 0; d < 384; d++) {
                        sum[d] += w * tokens[t][d];
                    }
                }
                double divisor = mode.equals("mean_sqrt_len") ? Math.sqrt(weights) : weights;
                for (int d = 0; d < 384; d++) {
                    out[d] = (float) (sum[d] / divisor);
                }
            }
        }
        return out;
    }

    /** Each text's mean of its real tokens by hand, leaving out its first {@code skip} (prompt) tokens, at unit length. */
    private static float[][] unitMeansByHand(List<String> inputs, int skip) {
        return tokens(inputs).stream().map(t -> Normalize.l2(poolByHand(t, "mean", skip))).toArray(float[][]::new);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cls", "max", "mean", "mean_sqrt_len", "weightedmean", "lasttoken"})
    void eachPoolingModeMatchesAPlainLoop(String mode) throws IOException {
        String key = switch (mode) {
            case "cls" -> "pooling_mode_cls_token";
            case "mean_sqrt_len" -> "pooling_mode_mean_sqrt_len_tokens";
            case "weightedmean" -> "pooling_mode_weightedmean_tokens";
            case "lasttoken" -> "pooling_mode_lasttoken";
            default -> "pooling_mode_" + mode + "_tokens";
        };
        try (SentenceTransformer model = SentenceTransformer.load(folder("pool-" + mode, pooling(key)).toString())) {
            assertClose(model.encode(texts),
                    tokens(texts).stream().map(t -> poolByHand(t, mode, 0)).toArray(float[][]::new), BY_HAND);
        }
    }

    @Test
    void aPoolingModeListConcatenatesInTheOrderGivenNotTheEnumsOrder() throws IOException {
        String config = "{\"embedding_dimension\": 384, \"pooling_mode\": [\"mean\", \"cls\"]}";
        try (SentenceTransformer model = SentenceTransformer.load(folder("pool-list", config).toString())) {
            assertThat(model.dimension()).isEqualTo(2 * 384);
            List<float[]> expected = new ArrayList<>();
            for (float[][] t : tokens(texts)) {
                float[] joined = new float[2 * 384];
                System.arraycopy(poolByHand(t, "mean", 0), 0, joined, 0, 384);
                System.arraycopy(poolByHand(t, "cls", 0), 0, joined, 384, 384);
                expected.add(joined);
            }
            assertClose(model.encode(texts), expected.toArray(float[][]::new), BY_HAND);
        }
    }

    /** The old per-mode switches carry no order: whatever order the file lists them in, cls, mean, last token. */
    @Test
    void legacySwitchesConcatenateInSentenceTransformersFixedOrder() throws IOException {
        String config = pooling("pooling_mode_lasttoken", "pooling_mode_mean_tokens", "pooling_mode_cls_token");
        try (SentenceTransformer model = SentenceTransformer.load(folder("pool-combined", config).toString())) {
            assertThat(model.dimension()).isEqualTo(3 * 384);
            List<float[]> expected = new ArrayList<>();
            for (float[][] t : tokens(texts)) {
                float[] joined = new float[3 * 384];
                System.arraycopy(poolByHand(t, "cls", 0), 0, joined, 0, 384);
                System.arraycopy(poolByHand(t, "mean", 0), 0, joined, 384, 384);
                System.arraycopy(poolByHand(t, "lasttoken", 0), 0, joined, 768, 384);
                expected.add(joined);
            }
            assertClose(model.encode(texts), expected.toArray(float[][]::new), BY_HAND);
        }
    }

    @Test
    void denseThenLayerNormThenNormalize() throws IOException {
        Random random = new Random(7);
        float[] weight = gaussian(random, 96 * 384, 0.05);
        float[] bias = gaussian(random, 96, 0.1);
        float[] gamma = gaussian(random, 96, 1);
        float[] beta = gaussian(random, 96, 0.1);
        Path folder = folder("dense", pooling("pooling_mode_mean_tokens"),
                "2_Dense", "Dense", "3_LayerNorm", "LayerNorm", "4_Normalize", "Normalize");
        Files.createDirectories(folder.resolve("2_Dense"));
        Files.writeString(folder.resolve("2_Dense/config.json"),
                "{\"in_features\": 384, \"out_features\": 96, \"bias\": true, \"activation_function\": \"torch.nn.modules.activation.Tanh\"}");
        SafeTensors.write(folder.resolve("2_Dense/model.safetensors"), tensors(
                "linear.weight", new long[] {96, 384}, weight, "linear.bias", new long[] {96}, bias));
        Files.createDirectories(folder.resolve("3_LayerNorm"));
        Files.writeString(folder.resolve("3_LayerNorm/config.json"), "{\"dimension\": 96}");
        SafeTensors.write(folder.resolve("3_LayerNorm/model.safetensors"), tensors(
                "norm.weight", new long[] {96}, gamma, "norm.bias", new long[] {96}, beta));

        UnaryOperator<float[]> byHand = pooled -> {
            double[] dense = new double[96];
            for (int o = 0; o < 96; o++) {
                double sum = bias[o];
                for (int i = 0; i < 384; i++) {
                    sum += weight[o * 384 + i] * (double) pooled[i];
                }
                dense[o] = Math.tanh(sum);
            }
            double mean = java.util.Arrays.stream(dense).average().orElseThrow();
            double variance = java.util.Arrays.stream(dense).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
            float[] normed = new float[96];
            for (int o = 0; o < 96; o++) {
                normed[o] = (float) ((dense[o] - mean) / Math.sqrt(variance + 1e-5) * gamma[o] + beta[o]);
            }
            return Normalize.l2(normed);
        };
        List<float[]> expected = tokens(texts).stream().map(t -> byHand.apply(poolByHand(t, "mean", 0))).toList();
        // model.safetensors wins over a pytorch_model.bin beside it.
        Files.writeString(folder.resolve("2_Dense/pytorch_model.bin"), "pickle");
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.dimension()).isEqualTo(96);
            assertClose(model.encode(texts), expected.toArray(float[][]::new), BY_HAND);
        }

        // The same weights as torch.save writes them: Dense in the zip format, LayerNorm in the legacy one.
        Files.delete(folder.resolve("2_Dense/model.safetensors"));
        Files.delete(folder.resolve("3_LayerNorm/model.safetensors"));
        Files.write(folder.resolve("2_Dense/pytorch_model.bin"), TorchSave.zip(List.of(
                TorchSave.float32("linear.weight", new long[] {96, 384}, weight),
                TorchSave.float32("linear.bias", new long[] {96}, bias))));
        Files.write(folder.resolve("3_LayerNorm/pytorch_model.bin"), TorchSave.legacy(List.of(
                TorchSave.float32("norm.weight", new long[] {96}, gamma),
                TorchSave.float32("norm.bias", new long[] {96}, beta))));
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertClose(model.encode(texts), expected.toArray(float[][]::new), BY_HAND);
        }

        Files.writeString(folder.resolve("2_Dense/pytorch_model.bin"), "pickle");
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("2_Dense/pytorch_model.bin") + ": not a PyTorch checkpoint");
        Files.delete(folder.resolve("2_Dense/pytorch_model.bin"));
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("2_Dense/model.safetensors") + " is missing, and so is pytorch_model.bin beside it");
    }

    @Test
    void aDenseLayerOfTheWrongShapeIsRefused() throws IOException {
        Path folder = folder("dense-shape", pooling("pooling_mode_mean_tokens"), "2_Dense", "Dense");
        Files.createDirectories(folder.resolve("2_Dense"));
        Files.writeString(folder.resolve("2_Dense/config.json"), "{\"in_features\": 384, \"out_features\": 8}");
        SafeTensors.write(folder.resolve("2_Dense/model.safetensors"), tensors(
                "linear.weight", new long[] {8, 100}, new float[800], "linear.bias", new long[] {8}, new float[8]));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'linear.weight' has shape [8, 100]").hasMessageContaining("[8, 384]");
    }

    @Test
    void promptsArePrependedAndCanBeLeftOutOfPooling() throws IOException {
        Path folder = folder("prompts", "{\"word_embedding_dimension\": 384, \"pooling_mode_mean_tokens\": true, \"include_prompt\": false}",
                "2_Normalize", "Normalize");
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"document\": \"\"}, \"default_prompt_name\": null}");
        // As sentence-transformers counts it: the prompt's tokens with [CLS], without [SEP].
        int queryLength = base.tokenizer().tokens("query:").size() - 1;
        assertThat(queryLength).isEqualTo(3);

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.config().prompt("query")).contains("query: ");
            assertThat(model.config().prompt(null)).isEmpty();
            List<String> prompted = texts.stream().map(t -> "query: " + t).toList();
            assertClose(model.encodeQuery(texts), unitMeansByHand(prompted, queryLength), BY_HAND);
            assertThat(model.encode(texts, EncodeOptions.defaults().withPromptName("query"))).isDeepEqualTo(model.encodeQuery(texts));
            // An empty prompt still masks the [CLS] token, as in sentence-transformers.
            assertClose(model.encodeDocument(texts), unitMeansByHand(texts, 1), BY_HAND);
            assertClose(model.encode(texts), unitMeansByHand(texts, 0), BY_HAND);
            assertThatThrownBy(() -> model.encode(texts, EncodeOptions.defaults().withPromptName("passage")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no prompt named 'passage'").hasMessageContaining("[query, document]");
        }
    }

    @Test
    void theDefaultPromptAppliesWhenNoneIsNamedAndIsPooledWhenIncluded() throws IOException {
        Path folder = folder("default-prompt", pooling("pooling_mode_mean_tokens"), "2_Normalize", "Normalize");
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"classification\": \"Classify: \"}, \"default_prompt_name\": \"classification\"}");

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.config().prompt(null)).contains("Classify: ");
            List<String> prompted = texts.stream().map(t -> "Classify: " + t).toList();
            assertClose(model.encode(texts), unitMeansByHand(prompted, 0), BY_HAND);
            assertClose(model.encode(texts, EncodeOptions.defaults().withPrompt("")), unitMeansByHand(texts, 0), BY_HAND);
        }
    }

    @Test
    void truncateDimCutsAndRenormalizesOnlyWhenAsked() {
        float[][] full = base.encode(texts);
        float[][] cut = base.encode(texts, EncodeOptions.defaults().withTruncateDim(64));
        float[][] unit = base.encode(texts, EncodeOptions.defaults().withTruncateDim(64).withNormalize(true));

        for (int i = 0; i < texts.size(); i++) {
            assertThat(cut[i]).containsExactly(java.util.Arrays.copyOf(full[i], 64));
            assertThat(Normalize.norm(cut[i])).isLessThan(0.99);
            assertThat(unit[i]).containsExactly(Normalize.l2(cut[i]), within(1e-6f));
        }
        assertThatThrownBy(() -> base.encode(texts, EncodeOptions.defaults().withTruncateDim(385)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("384");
    }

    @Test
    void longInputsAreCountedAndTruncatedByDefault() throws IOException {
        List<String> edge = Shared.lines("reference/edge-cases.txt");
        EncodeResult result = base.encodeWithDetails(edge, EncodeOptions.defaults());

        List<long[]> untruncated = LibraryTokens.untruncated("all-minilm-l6-v2-tokenizer.json", edge);
        for (int i = 0; i < edge.size(); i++) {
            int whole = untruncated.get(i).length;
            assertThat(result.tokenCounts()[i]).as("text %d", i).isEqualTo(whole);
            assertThat(result.truncated()[i]).as("text %d", i).isEqualTo(whole > 256);
        }
        assertThat(result.truncated()).contains(true, false);
        assertClose(result.vectors(), ReferenceVectorsTest.reference(Shared.MINILM, "edge-cases"), REFERENCE_TOLERANCE, edge);
    }

    @Test
    void longInputsCanBeRefused() {
        List<String> edge = Shared.lines("reference/edge-cases.txt");
        int count = base.encodeWithDetails(edge.subList(0, 1), EncodeOptions.defaults()).tokenCounts()[0];

        assertThatThrownBy(() -> base.encode(List.of("short", edge.get(0)), EncodeOptions.defaults().withLongInputs(LongInputs.ERROR)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text 1 has " + count + " tokens, more than the 256 the model takes (long inputs: ERROR)");
        assertThat(base.encode(texts, EncodeOptions.defaults().withLongInputs(LongInputs.ERROR))).isDeepEqualTo(base.encode(texts));
    }

    @Test
    void longInputsCanBeChunkedAndAveraged() {
        List<String> edge = Shared.lines("reference/edge-cases.txt");
        String longText = edge.get(1);
        var windows = base.tokenizer().windows(longText, 32);
        assertThat(windows).hasSizeGreaterThan(2);

        float[] sum = new float[384];
        for (var window : windows) {
            float[][] tokens = new float[window.length()][];
            var embeddings = base.transformer().run(base.tokenizer().pad(List.of(window)));
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = embeddings.vector(0, t);
            }
            float[] vector = Normalize.l2(poolByHand(tokens, "mean", 0));
            for (int d = 0; d < 384; d++) {
                sum[d] += vector[d] / windows.size();
            }
        }
        float[][] chunked = base.encode(List.of(longText, texts.get(0)),
                EncodeOptions.defaults().withLongInputs(LongInputs.CHUNK).withChunkStride(32));

        assertThat(chunked[0]).containsExactly(Normalize.l2(sum), within(2e-5f));
        assertThat(chunked[1]).containsExactly(base.encode(texts.get(0)), within(1e-6f));
    }

    private static float[] gaussian(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static Map<String, SafeTensors.Tensor> tensors(String name1, long[] shape1, float[] values1,
            String name2, long[] shape2, float[] values2) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put(name1, new SafeTensors.Tensor(shape1, values1));
        tensors.put(name2, new SafeTensors.Tensor(shape2, values2));
        return tensors;
    }
}
