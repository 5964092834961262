package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model folders sentence4j cannot run as a SentenceTransformer, or runs only after correcting them,
 * each refused with a message naming the file, the key or module, and the reason; built from the
 * sentence-transformers 6 fixtures and the real all-MiniLM-L6-v2 folder.
 */
class UnsupportedModelsTest {
    private static final String IMPLEMENTED = "it implements Transformer, MLMTransformer, Pooling, SpladePooling, Dense, LayerNorm, Normalize, LogitScore, MultiVectorMask, HierarchicalTokenPooling, Dropout, Router, StaticEmbedding, SparseStaticEmbedding";

    @TempDir
    static Path temp;

    private static Path fixture(String name) {
        return ModelFolders.st6(temp, "bert-cls-dense-lower", name);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    /** The fixture's modules.json with one more module after Normalize. */
    private static Path withExtraModule(String name, String type) throws IOException {
        Path folder = fixture(name);
        String modules = Files.readString(folder.resolve("modules.json"));
        write(folder.resolve("modules.json"), modules.substring(0, modules.lastIndexOf(']'))
                + ", {\"idx\": 4, \"name\": \"4\", \"path\": \"4_Extra\", \"type\": \"" + type + "\"}]");
        return folder;
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "sentence_transformers.models.CNN, CNN",
        "sentence_transformers.models.LSTM, LSTM",
        "sentence_transformers.sentence_transformer.modules.word_embeddings.WordEmbeddings, WordEmbeddings",
        "sentence_transformers.sparse_encoder.modules.sparse_auto_encoder.SparseAutoEncoder, SparseAutoEncoder",
        "sentence_transformers.models.WordWeights, WordWeights"})
    void aModuleTypeSentence4jDoesNotImplementIsNamedWithWhatItDoes(String type, String className) throws IOException {
        Path folder = withExtraModule("unimplemented-" + className + type.length(), type);

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("modules.json").toAbsolutePath() + ": module 4 has type '" + type + "', a "
                        + className + " module, which sentence4j does not implement (" + IMPLEMENTED + ")");
    }

    @Test
    void aTypeFromOutsideSentenceTransformersNeedsTrustRemoteCode() throws IOException {
        Path folder = withExtraModule("custom", "my_org.layers.Whitening");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("modules.json").toAbsolutePath() + ": module 4 has type 'my_org.layers.Whitening'")
                .hasMessageContaining("trust_remote_code=True").hasMessageContaining(IMPLEMENTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "tokenizer_config.json"})
    void aModelWithCustomCodeIsRefusedForNeedingTrustRemoteCode(String file) throws IOException {
        Path folder = fixture("auto-map-" + file);
        String config = Files.readString(folder.resolve(file));
        write(folder.resolve(file), "{\"auto_map\": {\"AutoModel\": \"modeling_custom.CustomModel\"}, " + config.substring(config.indexOf('{') + 1));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve(file).toAbsolutePath() + ": auto_map {\"AutoModel\":\"modeling_custom.CustomModel\"}")
                .hasMessageContaining("trust_remote_code=True");
    }

    @ParameterizedTest
    @CsvSource({"cross-encoder-bert, CrossEncoder", "splade-bert, SparseEncoder"})
    void aModelOfAnotherFamilyIsSentToItsOwnClass(String fixture, String family) {
        Path folder = Shared.path("fixtures/st6/models/" + fixture);

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.toAbsolutePath().normalize().resolve("config_sentence_transformers.json")
                        + ": model_type is '" + family + "': this is a " + family + " model; load it with " + family
                        + ", not SentenceTransformer");
    }

    @Test
    void aMultiVectorModelIsRefused() throws IOException {
        Path folder = fixture("multi-vector");
        String config = Files.readString(folder.resolve("config_sentence_transformers.json"));
        write(folder.resolve("config_sentence_transformers.json"), config.replace("\"SentenceTransformer\"", "\"MultiVectorEncoder\""));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("this is a MultiVectorEncoder model; load it with MultiVectorEncoder");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 17})
    void aTruncateDimTheVectorsCannotHaveIsRefused(int truncateDim) throws IOException {
        Path folder = fixture("truncate-" + truncateDim);
        Path config = folder.resolve("config_sentence_transformers.json");
        write(config, Files.readString(config).replace("\"model_type\"", "\"truncate_dim\": " + truncateDim + ", \"model_type\""));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(config.toAbsolutePath() + ": truncate_dim ")
                .hasMessageContaining(Integer.toString(truncateDim));
    }

    @Test
    void aPoolingDimensionOtherThanTheGraphsIsRefused() throws IOException {
        Path folder = fixture("pooling-dimension");
        write(folder.resolve("1_Pooling/config.json"), "{\"embedding_dimension\": 16, \"pooling_mode\": \"cls\"}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("onnx/model.onnx").toAbsolutePath()
                        + " makes token vectors of 32 values but the pooling configuration expects 16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"mean_sqrt_len\"", "\"CLS\"", "[\"cls\", \"maximum\"]", "[]", "3"})
    void aPoolingModeSentenceTransformersDoesNotKnowIsNamed(String mode) throws IOException {
        Path folder = fixture("pooling-mode-" + mode.hashCode());
        write(folder.resolve("1_Pooling/config.json"), "{\"embedding_dimension\": 32, \"pooling_mode\": " + mode + "}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("1_Pooling/config.json").toAbsolutePath() + ": ")
                .hasMessageContaining("pooling_mode")
                .hasMessageContaining("cls, max, mean, mean_sqrt_len_tokens, weightedmean, lasttoken");
    }

    @Test
    void aLayerOnTheTokenEmbeddingsIsRefused() throws IOException {
        Path folder = fixture("dense-on-tokens");
        String config = Files.readString(folder.resolve("2_Dense/config.json"));
        write(folder.resolve("2_Dense/config.json"), config.replace("\"module_input_name\": \"sentence_embedding\"",
                "\"module_input_name\": \"token_embeddings\""));

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("2_Dense/config.json").toAbsolutePath()
                        + ": module_input_name is 'token_embeddings'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"transformer_task\": \"sequence-classification\"|transformer_task is 'sequence-classification'",
        "\"transformer_task\": \"summarize\"|transformer_task 'summarize' is not one sentence-transformers knows",
        "\"modality_config\": {\"image\": {\"method\": \"forward\"}}|modality_config has no 'text' entry",
        "\"modality_config\": {\"text\": {\"method\": \"get_text_features\"}}|modality_config.text.method is 'get_text_features'",
        "\"query_length\": 32|query_length is set, which sentence4j does not follow yet",
        "\"processing_kwargs\": {\"text\": {\"max_length\": 8}}|processing_kwargs is set"})
    void aTransformerSentence4jCannotRunIsRefusedNamingTheKey(String setting, String message) throws IOException {
        Path folder = fixture("transformer-" + setting.hashCode());
        write(folder.resolve("sentence_bert_config.json"), "{" + setting + "}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(folder.resolve("sentence_bert_config.json").toAbsolutePath() + ": ")
                .hasMessageContaining(message);
    }

    /** Issue 14, row 8: the message names the file's key, not a Java field. */
    @Test
    void aNegativeMaxSeqLengthIsNamedByItsKey() throws IOException {
        Path folder = ModelFolders.miniLm(temp, "negative-length");
        write(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": -5, \"do_lower_case\": false}");

        assertThatThrownBy(() -> SentenceTransformer.load(folder.toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(folder.resolve("sentence_bert_config.json").toAbsolutePath()
                        + ": max_seq_length must be at least 2, room for the special tokens; got -5");
    }

    /**
     * Issue 14, row 5: a length beyond the position embeddings is lowered to them with a warning, as the
     * model could not run longer texts; a text longer than that is then truncated, not failed.
     */
    @Test
    void aMaxSeqLengthBeyondThePositionEmbeddingsIsCappedWithAWarning() throws IOException {
        Path folder = ModelFolders.miniLm(temp, "huge-length");
        write(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 1000000000, \"do_lower_case\": false}");
        List<LogRecord> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("dev.sentence4j.transformer.Transformer");
        logger.addHandler(handler);
        String longText = Shared.lines("reference/edge-cases.txt").get(1);
        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            EncodeResult result = model.encodeWithDetails(List.of(longText), EncodeOptions.defaults());

            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(512);
            assertThat(result.tokenCounts()[0]).isGreaterThan(512);
            assertThat(result.truncated()[0]).isTrue();
            assertThat(Normalize.norm(result.vectors()[0])).isCloseTo(1.0, within(1e-5));
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(warnings).singleElement().extracting(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                .isEqualTo(folder.resolve("sentence_bert_config.json").toAbsolutePath() + ": max_seq_length is 1000000000, "
                        + "more than the 512 tokens the model's position embeddings hold (config.json max_position_embeddings); "
                        + "texts are truncated at 512");
    }

    /** RoBERTa numbers positions from after its padding index: of 514 position embeddings, 512 hold tokens. */
    @Test
    void aRobertaModelHoldsTwoTokensFewerThanItsPositionEmbeddings() throws IOException {
        Path folder = ModelFolders.st6(temp, "roberta-mean", "roberta-long");
        write(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 514}");
        String longText = String.join(" ", java.util.Collections.nCopies(600, "dog"));

        try (SentenceTransformer model = SentenceTransformer.load(folder.toString())) {
            EncodeResult result = model.encodeWithDetails(List.of(longText), EncodeOptions.defaults());

            assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(512);
            assertThat(result.truncated()[0]).isTrue();
            assertThat(Normalize.norm(result.vectors()[0])).isCloseTo(1.0, within(1e-5));
        }
    }
}
