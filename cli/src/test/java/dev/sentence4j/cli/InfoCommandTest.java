package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfoCommandTest {
    @Test
    void describesTheDefaultModel() {
        CommandRun run = CommandRun.of("info");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).contains(
                "model: " + Shared.MINILM,
                "source: " + Shared.MINILM,
                "format: 5.x",
                "sentence_transformers_version: 2.0.0",
                "dimension: 384",
                "max_seq_length: 256",
                "do_lower_case: false",
                "pooling: mean",
                "normalize: true",
                "similarity_function: cosine",
                "onnx_inputs: input_ids, attention_mask, token_type_ids",
                "onnx_output: output_0");
        assertThat(run.outLines()).anyMatch(line -> line.startsWith("onnx_file: onnx/model.onnx of built-in model"));
        assertThat(run.outLines()).anyMatch(line -> line.startsWith("tokenizer_file: tokenizer.json of built-in model"));
        assertThat(run.outLines()).allMatch(line -> line.matches("[a-z_]+: .+"));
    }

    @Test
    void printsJson() throws IOException {
        CommandRun run = CommandRun.of("info", "--json", "--model", Shared.BGE);

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode info = new ObjectMapper().readTree(run.out());
        assertThat(info.get("model").asText()).isEqualTo(Shared.BGE);
        assertThat(info.get("dimension").asInt()).isEqualTo(384);
        assertThat(info.get("max_seq_length").asInt()).isEqualTo(512);
        assertThat(info.get("do_lower_case").asBoolean()).isTrue();
        assertThat(info.get("pooling").toString()).isEqualTo("[\"cls\"]");
        assertThat(info.get("normalize").asBoolean()).isTrue();
        assertThat(info.get("onnx_output").asText()).isEqualTo("last_hidden_state");
    }

    /** A Hub-style folder: the shared configs plus the weights and tokenizer from the built-in artifact. */
    @Test
    void describesAModelFolderAndTheChosenOnnxFile(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("minilm");
        Path configs = Shared.path("models/all-MiniLM-L6-v2");
        try (Stream<Path> files = Files.walk(configs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = model.resolve(configs.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        copyResource("all-minilm-l6-v2.onnx", model.resolve("onnx/custom.onnx"));
        copyResource("all-minilm-l6-v2-tokenizer.json", model.resolve("tokenizer.json"));

        CommandRun run = CommandRun.of("info", "--model", model.toString(), "--onnx-file", "onnx/custom.onnx");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).contains(
                "source: " + model.toAbsolutePath(),
                "onnx_file: " + model.toAbsolutePath().resolve("onnx/custom.onnx"),
                "tokenizer_file: " + model.toAbsolutePath().resolve("tokenizer.json"),
                "dimension: 384");
    }

    /** All three families: an st6 fixture runs its ONNX export, or with --checkpoint the graph built from model.safetensors. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed-bert-mean, last_hidden_state", "cross-encoder-bert, logits", "splade-bert, logits"})
    void saysWhenTheGraphIsBuiltFromTheCheckpoint(String fixture, String output) {
        Path model = Shared.path("fixtures/st6/models/" + fixture).toAbsolutePath().normalize();

        CommandRun export = CommandRun.of("info", "--model", model.toString());
        assertThat(export.status()).as(export.err()).isZero();
        assertThat(export.outLines()).contains("graph: ONNX export", "onnx_file: " + model.resolve("onnx/model.onnx"));

        CommandRun built = CommandRun.of("info", "--model", model.toString(), "--checkpoint");
        assertThat(built.status()).as(built.err()).isZero();
        assertThat(built.outLines()).contains("graph: built by sentence4j from the checkpoint",
                "onnx_file: " + model.resolve("model.safetensors"), "onnx_output: " + output);
    }

    private static void copyResource(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = InfoCommandTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("resource %s", name).isNotNull();
            Files.copy(in, target);
        }
    }

    @Test
    void saysAFolderWasWrittenBySentenceTransformers6() {
        CommandRun run = CommandRun.of("info", "--model", Shared.path("fixtures/st6/models/bert-cls-dense-lower").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines()).contains("format: 6.x", "sentence_transformers_version: 6.0.1", "dimension: 16",
                "transformer_task: feature-extraction", "max_seq_length: 48", "padding_side: right", "pooling: cls",
                "similarity_function: dot", "prompts: document, query");
    }

    @Test
    void namesAMissingOnnxFile() {
        CommandRun run = CommandRun.of("info", "--onnx-file", "onnx/nope.onnx");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("sentence4j: the chosen ONNX file onnx/nope.onnx")
                .endsWith("does not exist");
    }
}
