package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models loaded from folders laid out as Hugging Face repositories (see {@link ModelFolders}), then
 * broken copies of them.
 */
class ModelFolderTest {
    @TempDir
    static Path temp;
    private static List<String> seeds;
    private static float[][] reference;

    @BeforeAll
    static void readReference() throws IOException {
        seeds = Shared.lines("data/seed-sentences.txt");
        reference = ReferenceVectorsTest.reference(Shared.MINILM, "seed-sentences");
    }

    private static Path modelFolder(String name) {
        return ModelFolders.miniLm(temp, name);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Test
    void aHubFolderGivesTheReferenceVectors() {
        try (SentenceTransformer model = SentenceTransformer.load(modelFolder("hub").toString())) {
            assertThat(model.onnxFile()).isEqualTo("onnx/model.onnx");
            assertThat(model.normalizes()).isTrue();
            assertClose(model.encode(seeds), reference, REFERENCE_TOLERANCE, seeds);
        }
    }

    @Test
    void theCallerPicksAnotherOnnxFileOfTheFolder() throws IOException {
        Path folder = modelFolder("other-onnx");
        Files.move(folder.resolve("onnx/model.onnx"), folder.resolve("onnx/model_variant.onnx"));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString(),
                LoadOptions.defaults().withOnnxFile("onnx/model_variant.onnx"))) {
            assertThat(model.onnxFile()).isEqualTo("onnx/model_variant.onnx");
            assertClose(model.encode(seeds), reference, REFERENCE_TOLERANCE, seeds);
        }
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("has no ONNX file").hasMessageContaining("onnx/model.onnx");
        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withOnnxFile("onnx/nope.onnx")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(folder.resolve("onnx/nope.onnx").toString()).hasMessageContaining("does not exist");
    }

    @Test
    void withoutModulesJsonItMeanPoolsWithoutNormalizing() throws IOException {
        Path folder = modelFolder("no-modules");
        Files.delete(folder.resolve("modules.json"));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            float[][] vectors = model.encode(seeds);
            assertThat(model.normalizes()).isFalse();
            assertThat(Normalize.norm(vectors[0])).isNotCloseTo(1.0, org.assertj.core.api.Assertions.within(0.01));
            assertClose(Normalize.l2(vectors), reference, REFERENCE_TOLERANCE, seeds);
        }
    }

    @Test
    void aLegacyConfigNameSetsTheSequenceLength() throws IOException {
        Path folder = modelFolder("legacy-config");
        Files.delete(folder.resolve("sentence_bert_config.json"));
        write(folder.resolve("sentence_distilbert_config.json"), "{\"max_seq_length\": 8, \"do_lower_case\": false}");

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(8);
            assertThat(model.tokenizer().encode(List.of(seeds.get(1))).sequenceLength()).isEqualTo(8);
        }
    }

    @Test
    void theLegacyLayoutKeepsTheTransformerInItsOwnFolder() throws IOException {
        Path folder = modelFolder("legacy-layout");
        Path transformer = Files.createDirectories(folder.resolve("0_Transformer"));
        for (String file : List.of("sentence_bert_config.json", "config.json", "tokenizer_config.json", "tokenizer.json")) {
            Files.move(folder.resolve(file), transformer.resolve(file));
        }
        write(folder.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"0_Transformer\",\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                + "{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]");

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            // 256 comes from 0_Transformer/sentence_bert_config.json; without it the default would be 512.
            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(256);
            assertClose(model.encode(seeds), reference, REFERENCE_TOLERANCE, seeds);
        }
    }

    /** Issue 24, item 8: a tokenizer_config.json that is not an object is refused by name, not read as empty. */
    @Test
    void aTokenizerConfigThatIsNotAnObjectIsRefused() throws IOException {
        Path folder = ModelFolders.st6(temp, "seed-bert-mean", "array-tokenizer-config");
        write(folder.resolve("tokenizer_config.json"), "[{\"model_max_length\": 8}]");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("tokenizer_config.json") + ": the file must be a JSON object {...}, but is an array");
    }

    @Test
    void brokenJsonIsReportedWithFileAndLine() throws IOException {
        Path folder = modelFolder("bad-json");
        write(folder.resolve("modules.json"), "[\n  {\"idx\": 0,\n  \"type\": oops}\n]");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(folder.resolve("modules.json").toString())
                .hasMessageContaining("line 3");
    }

    @Test
    void anUnsupportedModuleIsRefusedNotSkipped() throws IOException {
        for (String type : List.of("sentence_transformers.models.WordWeights", "my_project.CustomPooling")) {
            Path folder = modelFolder("unsupported-" + type.length());
            write(folder.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                    + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                    + "{\"idx\":2,\"name\":\"2\",\"path\":\"2_X\",\"type\":\"" + type + "\"}]");

            assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining(folder.resolve("modules.json").toString())
                    .hasMessageContaining("module 2 has type '" + type + "'");
        }
    }

    @Test
    void aMissingTokenizerIsNamed() throws IOException {
        Path folder = modelFolder("no-tokenizer");
        Files.delete(folder.resolve("tokenizer.json"));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(folder.resolve("tokenizer.json") + " is missing");
    }

    @Test
    void aCorruptOnnxFileIsNamed() throws IOException {
        Path folder = modelFolder("corrupt-onnx");
        Files.delete(folder.resolve("onnx/model.onnx"));
        write(folder.resolve("onnx/model.onnx"), "not a protobuf");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("onnx/model.onnx") + " is not an ONNX model: its 14 bytes cannot be read as one (a cut or"
                        + " damaged download, or another kind of file)");
    }

    @Test
    void poolingThatDoesNotFitTheGraphIsRefused() throws IOException {
        Path folder = modelFolder("wrong-dimension");
        write(folder.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\": 768, \"pooling_mode_mean_tokens\": true}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("384").hasMessageContaining("768");
    }

    @Test
    void aWronglyTypedFieldIsNamed() throws IOException {
        Path folder = modelFolder("bad-field");
        write(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": \"long\"}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(folder.resolve("sentence_bert_config.json").toString())
                .hasMessageContaining("max_seq_length");
    }

    @Test
    void anUnknownIdOrAFileIsNotAModel() throws IOException {
        // Not a Hub id either (those go to the Hub: see HubModelTest).
        assertThatThrownBy(() -> SentenceTransformer.load("someone/no/such-model"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'someone/no/such-model' is not a Hugging Face model id (owner/name) nor a built-in model")
                .hasMessageContaining(Shared.MINILM);

        Path file = Files.writeString(temp.resolve("model.txt"), "x");
        assertThatThrownBy(() -> SentenceTransformer.load(file.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file + " is a file");
    }
}
