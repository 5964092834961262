package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cross-encoder benchmark relies on: a random BERT cross-encoder folder loads with CrossEncoder
 * (its graph built from the checkpoint) and scores each pair, the same seed gives the same model, and
 * the built graph written as a self-contained ONNX file scores as the checkpoint does.
 */
class RandomCheckpointsTest {
    private static final List<TextPair> PAIRS = List.of(new TextPair("this is", "it"), new TextPair("hello", "world"));
    private static final LoadOptions NO_CACHE = LoadOptions.defaults().withCacheDirectory(null);

    @TempDir
    Path temp;

    @Test
    void aRandomCrossEncoderScoresEachPairAndItsExportScoresTheSame() throws Exception {
        RandomCheckpoints.BertShape small = new RandomCheckpoints.BertShape(64, 2, 4, 128, 30522, 128, 3);
        Path folder = RandomCheckpoints.bert(temp.resolve("a"), small, Head.SEQUENCE_CLASSIFICATION, 7);
        float[][] first = logits(folder, true);
        float[][] again = logits(RandomCheckpoints.bert(temp.resolve("b"), small, Head.SEQUENCE_CLASSIFICATION, 7), true);
        float[][] other = logits(RandomCheckpoints.bert(temp.resolve("c"), small, Head.SEQUENCE_CLASSIFICATION, 8), true);

        assertThat(first).hasDimensions(2, 3);
        assertThat(first[0]).doesNotContain(Float.NaN).isNotEqualTo(first[1]);
        assertThat(again).isDeepEqualTo(first);
        assertThat(other[0]).isNotEqualTo(first[0]);

        SelfContainedOnnx.export(folder, Head.SEQUENCE_CLASSIFICATION);
        float[][] exported = logits(folder, false);
        for (int i = 0; i < PAIRS.size(); i++) {
            assertThat(exported[i]).containsExactly(first[i], within(1e-5f));
        }
    }

    private static float[][] logits(Path folder, boolean fromCheckpoint) {
        try (CrossEncoder model = CrossEncoder.load(folder.toString(), NO_CACHE)) {
            assertThat(model.transformer().builtFromCheckpoint()).isEqualTo(fromCheckpoint);
            assertThat(model.transformer().onnxFile()).isEqualTo(fromCheckpoint ? "model.safetensors" : "onnx/model.onnx");
            return model.predictAll(PAIRS, PredictOptions.defaults().withApplyActivation(false));
        }
    }
}
