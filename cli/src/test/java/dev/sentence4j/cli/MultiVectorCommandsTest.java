package dev.sentence4j.cli;

import static dev.sentence4j.VectorAssertions.assertClose;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.MultiVectorFolders;
import dev.sentence4j.RankedText;
import dev.sentence4j.io.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode and rerank on a ColBERT folder: what they write and print is what the library gives. */
class MultiVectorCommandsTest {
    private static final List<String> TEXTS = List.of("A man is playing a guitar.", "Paris, the capital: of France!",
            "", "The Earth is about 4.5 billion years old.", "A woman slices an onion.");

    @TempDir
    Path dir;

    @Test
    void encodeWritesEachTextsTokenVectorsAsJsonLinesAndAsNpyWithOffsets() throws IOException {
        Path model = MultiVectorFolders.colbert(dir, "colbert", MultiVectorFolders.Spec.bert());
        Path input = Files.write(dir.resolve("texts.txt"), TEXTS, UTF_8);
        Path jsonl = dir.resolve("tokens.jsonl");
        Path npy = dir.resolve("queries.npy");

        CommandRun documents = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", jsonl.toString());
        CommandRun queries = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", npy.toString(), "--role", "query");

        assertThat(documents.status()).as(documents.err()).isZero();
        assertThat(queries.status()).as(queries.err()).isZero();
        assertThat(queries.errLines()).singleElement().asString()
                .startsWith("wrote 160 token vectors of dim 16 for 5 queries (32.0 each on average) to " + npy + " and "
                        + dir.resolve("queries.offsets.npy"));
        try (MultiVectorEncoder encoder = MultiVectorEncoder.load(model.toString())) {
            List<float[][]> expectedDocuments = encoder.encodeDocument(TEXTS);
            List<String> lines = Files.readAllLines(jsonl, UTF_8);
            assertThat(lines).hasSize(TEXTS.size());
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < lines.size(); i++) {
                JsonNode row = json.readTree(lines.get(i));
                assertThat(row.get("index").asInt()).isEqualTo(i);
                assertThat(row.get("tokens").asInt()).isEqualTo(expectedDocuments.get(i).length);
                float[][] block = json.treeToValue(row.get("embeddings"), float[][].class);
                assertClose(block, expectedDocuments.get(i), 1e-6);
            }
            List<float[][]> expectedQueries = encoder.encodeQuery(TEXTS);
            float[][] all = Npy.read(npy);
            long[] offsets = offsets(dir.resolve("queries.offsets.npy"));
            assertThat(offsets).hasSize(TEXTS.size() + 1);
            assertThat(offsets[TEXTS.size()]).isEqualTo(all.length);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertClose(Arrays.copyOfRange(all, (int) offsets[i], (int) offsets[i + 1]), expectedQueries.get(i), 1e-6);
            }
        }
    }

    @Test
    void encodeRefusesOptionsOfSingleVectorModels() throws IOException {
        Path model = MultiVectorFolders.colbert(dir, "colbert", MultiVectorFolders.Spec.bert());
        Path input = Files.write(dir.resolve("texts.txt"), TEXTS, UTF_8);

        CommandRun run = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("out.npy").toString(), "--truncate-dim", "8", "--precision", "int8");
        CommandRun role = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("out.npy").toString(), "--role", "passage");

        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("--truncate-dim, --precision does not apply to " + model
                + ", a multi-vector model whose texts give one float32 vector per token");
        assertThat(role.err()).contains("--role must be 'query' or 'document', got 'passage'");
    }

    /** --task picks the role as --role does: the query side, not silently the document side. */
    @Test
    void taskPicksTheRoleLikeRole() throws IOException {
        Path model = MultiVectorFolders.colbert(dir, "colbert-task", MultiVectorFolders.Spec.bert());
        Path input = Files.write(dir.resolve("task-texts.txt"), TEXTS, UTF_8);

        CommandRun byTask = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("by-task.npy").toString(), "--task", "query");
        CommandRun both = CommandRun.of("encode", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("both.npy").toString(), "--task", "query", "--role", "document");

        assertThat(byTask.status()).as(byTask.err()).isZero();
        assertThat(byTask.errLines()).singleElement().asString().contains("for 5 queries (32.0 each on average)");
        assertThat(both.status()).isNotZero();
        assertThat(both.err()).contains("--role 'document' and --task 'query' disagree");
        assertThat(dir.resolve("out.npy")).doesNotExist();
    }

    @Test
    void rerankOrdersTheTextsByMaxSimAsTheModelsRankDoes() throws IOException {
        Path model = MultiVectorFolders.colbert(dir, "colbert", MultiVectorFolders.Spec.bert());
        Path input = Files.write(dir.resolve("texts.txt"), TEXTS, UTF_8);
        String query = "Who plays the guitar?";

        CommandRun run = CommandRun.of("rerank", "--model", model.toString(), "--input", input.toString(), "--query", query,
                "--format", "json", "--top-k", "3");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode printed = new ObjectMapper().readTree(run.out());
        try (MultiVectorEncoder encoder = MultiVectorEncoder.load(model.toString())) {
            List<RankedText> expected = encoder.rank(query, TEXTS, 3);
            assertThat(printed).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(printed.get(i).get("index").asInt()).isEqualTo(expected.get(i).index());
                assertThat(printed.get(i).get("score").floatValue()).isEqualTo(expected.get(i).score());
            }
        }
    }

    @Test
    void infoTellsTheLengthsExpansionAndModules() throws IOException {
        Path model = MultiVectorFolders.colbert(dir, "colbert", MultiVectorFolders.Spec.bert());

        CommandRun run = CommandRun.of("info", "--model", model.toString(), "--json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode facts = new ObjectMapper().readTree(run.out());
        assertThat(facts.get("family").asText()).isEqualTo("MultiVectorEncoder");
        assertThat(facts.get("dimension").asInt()).isEqualTo(16);
        assertThat(facts.get("query_length").asInt()).isEqualTo(32);
        assertThat(facts.get("query_expansion").asText()).isEqualTo("fixed 32 tokens");
        assertThat(facts.get("document_length").asInt()).isEqualTo(64);
        assertThat(facts.get("modules").toString()).isEqualTo("[\"MultiVectorTransformer\",\"Dense(32 -> 16, identity, no bias)\","
                + "\"MultiVectorMask(32 skiplist words for [DOCUMENT])\",\"Normalize\"]");
        assertThat(facts.get("similarity_function").asText()).isEqualTo("maxsim");
    }

    @Test
    void aStanfordColbertCheckpointRunsInInfoAndRerank() throws IOException {
        Path model = MultiVectorFolders.stanford(dir, "colbertv2", Map.of("query_maxlen", 24, "doc_maxlen", 40));
        Path input = Files.write(dir.resolve("texts.txt"), TEXTS, UTF_8);
        String query = "Who plays the guitar?";

        CommandRun info = CommandRun.of("info", "--model", model.toString(), "--json");
        CommandRun rerank = CommandRun.of("rerank", "--model", model.toString(), "--input", input.toString(), "--query", query,
                "--format", "json");

        assertThat(info.status()).as(info.err()).isZero();
        JsonNode facts = new ObjectMapper().readTree(info.out());
        assertThat(facts.get("family").asText()).isEqualTo("MultiVectorEncoder");
        assertThat(facts.get("query_expansion").asText()).isEqualTo("fixed 24 tokens");
        assertThat(facts.get("document_length").asInt()).isEqualTo(40);
        assertThat(facts.get("prompts").toString()).isEqualTo("[\"query\",\"document\"]");
        assertThat(rerank.status()).as(rerank.err()).isZero();
        JsonNode printed = new ObjectMapper().readTree(rerank.out());
        try (MultiVectorEncoder encoder = MultiVectorEncoder.load(model.toString())) {
            List<RankedText> expected = encoder.rank(query, TEXTS, TEXTS.size());
            assertThat(printed).hasSize(TEXTS.size());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(printed.get(i).get("index").asInt()).isEqualTo(expected.get(i).index());
                assertThat(printed.get(i).get("score").floatValue()).isEqualTo(expected.get(i).score());
            }
        }
    }

    private static long[] offsets(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int header = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + header, bytes.length - 10 - header).order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[data.remaining() / Long.BYTES];
        data.asLongBuffer().get(values);
        return values;
    }
}
