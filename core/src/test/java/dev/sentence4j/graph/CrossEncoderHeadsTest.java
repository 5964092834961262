package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import dev.sentence4j.Shared;
import dev.sentence4j.layer.Activation;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CrossEncoders of the architectures whose heads are new, end to end from a model folder as
 * transformers saves a {@code *ForSequenceClassification} (no modules.json, as sentence-transformers
 * reads it): the fixture's tokenizer and base weights, a random three-label head. Each pair's logits
 * equal the head computed in float64 on the fixture's real export run on that pair alone, so batching
 * and its padding side (left for Qwen3) change nothing; Identity is the default for three labels and
 * softmax is given on request.
 */
class CrossEncoderHeadsTest {
    private static final List<TextPair> PAIRS = List.of(new TextPair("a man is eating food", "a man eats"),
            new TextPair("the cat sits", "a long sentence about something else that a dog did in the park yesterday"),
            new TextPair("short", "x"), new TextPair("how far is the moon", "the moon is far away from the earth"));
    @TempDir
    static Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"modernbert-mean", "qwen3-lasttoken", "roberta-mean"})
    void threeLabelsScoreEachPairAsAlone(String fixture) throws Exception {
        boolean decoder = fixture.startsWith("qwen");
        Path source = Shared.path("fixtures/st6/models/" + fixture);
        Path folder = Files.createDirectories(temp.resolve(fixture));
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(source.resolve(file), folder.resolve(file));
        }
        ObjectNode config = (ObjectNode) CheckpointFolders.JSON.readTree(source.resolve("config.json").toFile());
        String base = config.get("architectures").get(0).asText();
        config.putArray("architectures").add(base.replace("Model", "ForSequenceClassification"));
        ObjectNode labels = config.putObject("id2label");
        List.of("contradiction", "entailment", "neutral").forEach(l -> labels.put(Integer.toString(labels.size()), l));
        CheckpointFolders.JSON.writeValue(folder.resolve("config.json").toFile(), config);
        Random random = new Random(fixture.hashCode());
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(CheckpointFolders.tensors(fixture));
        Map<String, SafeTensors.Tensor> head = new LinkedHashMap<>();
        if (decoder) {
            head.put("score.weight", ClassificationHeadsTest.normal(random, 3, 32));
        } else if (fixture.startsWith("modern")) {
            head.put("head.dense.weight", ClassificationHeadsTest.normal(random, 32, 32));
            head.put("head.norm.weight", new SafeTensors.Tensor(new long[] {32}, ones(32)));
            head.put("classifier.weight", ClassificationHeadsTest.normal(random, 3, 32));
            head.put("classifier.bias", ClassificationHeadsTest.normal(random, 3));
        } else {
            head.put("classifier.dense.weight", ClassificationHeadsTest.normal(random, 32, 32));
            head.put("classifier.dense.bias", ClassificationHeadsTest.normal(random, 32));
            head.put("classifier.out_proj.weight", ClassificationHeadsTest.normal(random, 3, 32));
            head.put("classifier.out_proj.bias", ClassificationHeadsTest.normal(random, 3));
        }
        tensors.putAll(head);
        SafeTensors.write(folder.resolve("model.safetensors"), tensors);

        try (CrossEncoder model = CrossEncoder.load(folder.toString(), LoadOptions.defaults());
                GraphSession export = GraphSession.of(source.resolve("onnx/model.onnx"))) {
            assertThat(model.labels()).containsExactly("contradiction", "entailment", "neutral");
            assertThat(model.activation()).isEqualTo(Activation.IDENTITY);
            assertThat(model.transformer().builtFromCheckpoint()).isTrue();
            float[][] logits = model.predictAll(PAIRS);
            float[][] softmax = model.predictAll(PAIRS, PredictOptions.defaults().withApplySoftmax(true));
            List<Tokens> tokens = model.tokenizer().tokenizePairs(PAIRS.stream().map(TextPair::first).toList(),
                    PAIRS.stream().map(TextPair::second).toList());
            JsonNode settings = CheckpointFolders.JSON.readTree(folder.resolve("config.json").toFile());
            for (int p = 0; p < PAIRS.size(); p++) {
                long[] ids = tokens.get(p).ids();
                long[] mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1);
                float[] states = export.run(new long[][] {ids}, new long[][] {mask}, new long[][] {tokens.get(p).typeIds()}).values();
                double[] expected = expected(fixture, head, tensors, settings, states, ids);
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    assertThat((double) logits[p][k]).as("pair %d label %d", p, k).isCloseTo(expected[k], within(5e-4));
                    sum += Math.exp(expected[k]);
                }
                for (int k = 0; k < 3; k++) {
                    assertThat((double) softmax[p][k]).isCloseTo(Math.exp(expected[k]) / sum, within(2e-4));
                }
            }
        }
    }

    private static double[] expected(String fixture, Map<String, SafeTensors.Tensor> head, Map<String, SafeTensors.Tensor> all,
            JsonNode config, float[] states, long[] ids) {
        int length = ids.length;
        if (fixture.startsWith("qwen")) {
            int last = length - 1;
            while (last > 0 && ids[last] == config.get("pad_token_id").asLong()) {
                last--;
            }
            return Float64.linear(head, "score", Float64.row(states, last, 32), false);
        }
        double[] first = Float64.row(states, 0, 32);
        if (fixture.startsWith("modern")) {
            double[] mean = new double[32];
            for (int t = 0; t < length; t++) {
                for (int i = 0; i < 32; i++) {
                    mean[i] += states[t * 32 + i] / length;
                }
            }
            double[] pooled = config.path("classifier_pooling").asText("cls").equals("mean") ? mean : first;
            return Float64.linear(all, "classifier", Float64.layerNorm(Float64.map(Float64.linear(all, "head.dense", pooled, false),
                    Float64::gelu), all.get("head.norm.weight").values(), null, config.get("norm_eps").asDouble()), true);
        }
        return Float64.linear(all, "classifier.out_proj", Float64.map(Float64.linear(all, "classifier.dense", first, true),
                Math::tanh), true);
    }

    private static float[] ones(int n) {
        float[] values = new float[n];
        java.util.Arrays.fill(values, 1);
        return values;
    }
}
