package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrossEncoder folders as older sentence-transformers versions saved them: a plain
 * {@code *ForSequenceClassification} model without {@code modules.json}, its activation in
 * {@code config.json}. Each variant is a copy of the st6 fixture, loaded once.
 */
class CrossEncoderFoldersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<TextPair> pairs;
    /** What the real sentence-transformers 6.0.1 returned for the pairs: sigmoid scores and raw logits. */
    private static float[] scores;
    private static float[] logits;

    @BeforeAll
    static void readReference() throws IOException {
        pairs = CrossEncoderReference.pairs();
        scores = CrossEncoderReference.scores(pairs.size());
        logits = CrossEncoderReference.logits(pairs.size());
    }

    @TempDir
    Path temp;

    /** The fixture as 5.x saved it: the Hugging Face files only, with {@code config.json} changed. */
    private Path olderFolder(String name, Consumer<ObjectNode> config) throws IOException {
        Path folder = ModelFolders.st6(temp, "cross-encoder-bert", name);
        for (String file : List.of("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json")) {
            Files.delete(folder.resolve(file));
        }
        ObjectNode hf = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        config.accept(hf);
        JSON.writeValue(folder.resolve("config.json").toFile(), hf);
        return folder;
    }

    @Test
    void aFiveXFolderKeepsItsActivationInConfigJson() throws IOException {
        Path folder = olderFolder("v5", hf -> hf.putObject("sentence_transformers")
                .put("activation_fn", "torch.nn.modules.linear.Identity").put("version", "5.1.0"));

        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            assertThat(model.format()).isEqualTo(FolderFormat.PLAIN);
            assertThat(model.activation()).isEqualTo(Activation.IDENTITY);
            assertThat(model.predict(pairs)).containsExactly(logits, within(1e-5f));
            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(64);
        }
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no modules.json and a *ForSequenceClassification config.json: this is a CrossEncoder model");
    }

    @Test
    void aFolderOlderThanFourNamesItsActivationSbertCeDefault() throws IOException {
        Path folder = olderFolder("v3", hf -> hf.put("sbert_ce_default_activation_function", "torch.nn.modules.linear.Identity"));

        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            assertThat(model.activation()).isEqualTo(Activation.IDENTITY);
            assertThat(model.predict(pairs)).containsExactly(logits, within(1e-5f));
        }
    }

    @Test
    void withoutASavedActivationOneLabelGetsSigmoid() throws IOException {
        Path folder = olderFolder("plain", hf -> {});

        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            assertThat(model.activation()).isEqualTo(Activation.SIGMOID);
            assertThat(model.predict(pairs)).containsExactly(scores, within(1e-5f));
        }
    }

    @Test
    void anActivationOutsideTorchIsSkippedAsWithoutRemoteCode() throws IOException {
        Path folder = olderFolder("custom", hf -> hf.putObject("sentence_transformers").put("activation_fn", "my_package.Scale"));

        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            assertThat(model.activation()).isEqualTo(Activation.SIGMOID);
            assertThat(model.predict(pairs)).containsExactly(scores, within(1e-5f));
        }
    }

    @Test
    void anUnsupportedTorchActivationIsAnErrorNamingTheFile() throws IOException {
        Path folder = olderFolder("threshold", hf -> hf.putObject("sentence_transformers")
                .put("activation_fn", "torch.nn.modules.activation.Threshold"));

        assertThatThrownBy(() -> CrossEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("config.json: sentence_transformers.activation_fn")
                .hasMessageContaining("'Threshold' is not supported");
    }

    @Test
    void aLabelCountTheGraphDoesNotGiveIsCaughtAtLoad() throws IOException {
        Path folder = olderFolder("labels", hf -> {});
        // The graph gives one logit: a config claiming three labels is caught at load.
        ObjectNode hf = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        hf.putObject("id2label").put("0", "contradiction").put("1", "entailment").put("2", "neutral");
        JSON.writeValue(folder.resolve("config.json").toFile(), hf);

        assertThatThrownBy(() -> CrossEncoder.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("gives the classifier 3 labels but")
                .hasMessageContaining("gives 1 logits per pair");
    }
}
