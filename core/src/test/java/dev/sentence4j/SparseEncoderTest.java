package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.io.Npy;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.pool.SpladePooling;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPLADE sparse encoder of {@code shared/fixtures/st6}, saved by the real sentence-transformers
 * 6.0.1, encodes the public texts as its {@code SparseEncoder.encode} did: the same values and exactly
 * the same non-zero entries.
 */
class SparseEncoderTest {
    private static SparseEncoder model;
    private static List<String> texts;
    private static float[][] reference;

    @BeforeAll
    static void load() throws IOException {
        model = SparseEncoder.load(SentenceTransformers6Test.folder("splade-bert").toString());
        texts = Shared.lines("fixtures/st6/public.txt");
        reference = Npy.read(Shared.path("fixtures/st6/reference/splade-bert.public.npy"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] nonZero(float[] row) {
        return IntStream.range(0, row.length).filter(v -> row[v] != 0).toArray();
    }

    @Test
    void vectorsAreTheLibrarysWithTheSameNonZeroEntries() {
        List<SparseVector> vectors = model.encode(texts, SparseEncodeOptions.defaults().withBatchSize(16));

        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i).indices()).as("non-zero entries of line %d", i + 1).containsExactly(nonZero(reference[i]));
            assertThat(vectors.get(i).toArray(model.dimension())).as("line %d", i + 1)
                    .containsExactly(reference[i], within(1e-5f));
        }
    }

    @Test
    void sameVectorsWhateverTheBatch() {
        List<String> some = texts.subList(0, 20);
        List<SparseVector> one = model.encode(some, SparseEncodeOptions.defaults().withBatchSize(1));
        List<SparseVector> tight = model.encode(some, SparseEncodeOptions.defaults().withMaxBatchTokens(40));

        for (int i = 0; i < some.size(); i++) {
            assertThat(one.get(i).indices()).containsExactly(nonZero(reference[i]));
            assertThat(one.get(i).toArray(model.dimension())).containsExactly(reference[i], within(1e-5f));
            assertThat(tight.get(i).toArray(model.dimension())).containsExactly(reference[i], within(1e-5f));
        }
    }

    @Test
    void describesWhatTheFolderSays() {
        assertThat(model.dimension()).isEqualTo(1500);
        assertThat(model.pooling()).isEqualTo(new SpladePooling(SpladePooling.Strategy.MAX, SpladePooling.Activation.RELU));
        assertThat(model.similarityFunction()).isEqualTo(SimilarityFunction.DOT);
        assertThat(model.format()).isEqualTo(FolderFormat.V6);
        assertThat(model.config().prompts()).containsKeys("query", "document");
    }

    /** The fixture's prompts are empty strings, so a copy gets real ones. */
    @Test
    void queriesAndDocumentsTakeTheirPrompts(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "splade-bert", "prompted");
        Path config = folder.resolve("config_sentence_transformers.json");
        String prompted = Files.readString(config)
                .replace("\"document\": \"\"", "\"document\": \"passage: \"")
                .replace("\"query\": \"\"", "\"query\": \"question: \"");
        Files.writeString(config, prompted);
        List<String> some = texts.subList(0, 3);
        try (SparseEncoder withPrompts = SparseEncoder.load(folder.toString())) {
            List<SparseVector> asQueries = model.encode(some.stream().map(t -> "question: " + t).toList());
            List<SparseVector> asPassages = model.encode(some.stream().map(t -> "passage: " + t).toList());

            assertThat(withPrompts.encodeQuery(some)).isEqualTo(asQueries).isNotEqualTo(model.encode(some));
            assertThat(withPrompts.encodeDocument(some)).isEqualTo(asPassages).isNotEqualTo(asQueries);
            assertThat(withPrompts.encode(some, SparseEncodeOptions.defaults().withPromptName("query"))).isEqualTo(asQueries);
            assertThat(withPrompts.encode(some)).isEqualTo(model.encode(some));
        }
        assertThat(model.encode(some, SparseEncodeOptions.defaults().withPrompt("search: ")))
                .isEqualTo(model.encode(some.stream().map(t -> "search: " + t).toList()));
        assertThatThrownBy(() -> model.encode(some, SparseEncodeOptions.defaults().withPromptName("passage")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no prompt named 'passage'");
    }

    @Test
    void maxActiveDimsKeepsTheLargestEntries() {
        List<SparseVector> vectors = model.encode(texts.subList(0, 5), SparseEncodeOptions.defaults().withMaxActiveDims(10));

        for (int i = 0; i < vectors.size(); i++) {
            float[] row = reference[i];
            float tenth = (float) IntStream.range(0, row.length).mapToDouble(v -> row[v]).boxed()
                    .sorted(Collections.reverseOrder()).skip(9).findFirst().orElseThrow().doubleValue();
            SparseVector vector = vectors.get(i);
            assertThat(vector.size()).isEqualTo(10);
            assertThat(vector.indices()).isSorted();
            for (int k = 0; k < vector.size(); k++) {
                assertThat(vector.values()[k]).isGreaterThanOrEqualTo(tenth - 1e-5f)
                        .isCloseTo(row[vector.indices()[k]], within(1e-5f));
            }
        }
    }

    @Test
    void similarityIsTheDotProduct() {
        List<SparseVector> vectors = model.encode(texts.subList(0, 4));

        float[][] scores = model.similarity(vectors.subList(0, 2), vectors);

        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                double dot = 0;
                for (int v = 0; v < reference[i].length; v++) {
                    dot += (double) reference[i][v] * reference[j][v];
                }
                assertThat(scores[i][j]).isCloseTo((float) dot, within(1e-3f));
            }
        }
    }

    /** Texts tokenized once, prompt included, know their token counts and encode as the texts do joined. */
    @Test
    void tokenizedTextsEncodeAsTheTextsDo() {
        List<String> some = texts.subList(0, 6);
        SparseEncodeOptions options = SparseEncodeOptions.defaults().withPromptName("query");

        TokenizedTexts<String> first = model.tokenize(some.subList(0, 2), options);
        TokenizedTexts<String> joined = TokenizedTexts.join(List.of(first, model.tokenize(some.subList(2, 6), options)));

        assertThat(first.tokenCount(1)).isEqualTo(
                model.tokenizer().tokens(model.config().prompts().get("query") + some.get(1)).size());
        assertThat(model.encode(joined)).isEqualTo(model.encode(some, options));
        assertThatThrownBy(() -> SparseEncodeOptions.defaults().withPrompt("q: ").withPromptName("query"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contradict each other");
        assertThatThrownBy(() -> SparseEncodeOptions.defaults().withLongInputs(LongInputs.CHUNK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not chunked");
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        assertThat(model.encode(List.of())).isEmpty();
        assertThatThrownBy(() -> model.encode(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("text 1 is null");
        String longText = String.join(" ", Collections.nCopies(100, "word"));
        assertThat(model.encode(longText).size()).isPositive();
        assertThatThrownBy(() -> model.encode(List.of("short", longText), SparseEncodeOptions.defaults().withLongInputs(LongInputs.ERROR)))
                .isInstanceOf(TextTooLongException.class).hasMessageStartingWith("text 1 has ");
        assertThatThrownBy(() -> SparseEncodeOptions.defaults().withMaxActiveDims(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max active dims");
    }

    @Test
    void aFolderOfAnotherFamilyIsRefusedNamingTheClassToLoadItWith() {
        String splade = SentenceTransformers6Test.folder("splade-bert").toString();
        assertThatThrownBy(() -> SentenceTransformer.load(splade))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model_type is 'SparseEncoder': this is a SparseEncoder model; load it with SparseEncoder");
        assertThatThrownBy(() -> CrossEncoder.load(splade))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("load it with SparseEncoder, not CrossEncoder");
        assertThatThrownBy(() -> SparseEncoder.load(CrossEncoderTest.folder().toString()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("load it with CrossEncoder, not SparseEncoder");
        assertThatThrownBy(() -> SparseEncoder.load(SentenceTransformers6Test.folder("seed-bert-mean").toString()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("load it with SentenceTransformer, not SparseEncoder");
    }
}
