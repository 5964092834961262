package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.io.Npy;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the README's snippets as this application has them and checks what they compute against
 * ../shared: the built-in all-MiniLM-L6-v2 for embeddings, and for the README's reranker and sparse
 * encoder ids, the tiny cross-encoder and SPLADE folders written by sentence-transformers 6, placed in
 * the Hugging Face cache under those ids (offline) with what Python computed on them.
 */
class SnippetsTest {
    private static final Path SHARED = Path.of(System.getProperty("sentence4j.shared"));
    private static final Path FIXTURES = SHARED.resolve("fixtures/st6");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @BeforeAll
    static void hubCache() throws IOException {
        Path cache = Path.of(System.getenv("HF_HUB_CACHE"));
        cacheAs(cache, "cross-encoder/ms-marco-MiniLM-L6-v2", FIXTURES.resolve("models/cross-encoder-bert"));
        cacheAs(cache, "naver/splade-cocondenser-ensembledistil", FIXTURES.resolve("models/splade-bert"));
    }

    /** The folder as the Hub cache holds a repository's snapshot, its main branch pointing at it. */
    private static void cacheAs(Path cache, String repo, Path folder) throws IOException {
        Path repoFolder = cache.resolve("models--" + repo.replace("/", "--"));
        Path snapshot = repoFolder.resolve("snapshots").resolve(COMMIT);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = snapshot.resolve(folder.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.createDirectories(repoFolder.resolve("refs"));
        Files.writeString(repoFolder.resolve("refs/main"), COMMIT);
    }

    @Test
    void embedding() {
        float[][] scores = Embedding.scores();

        assertThat(scores).hasDimensions(2, 2);
        assertThat(scores[0][0]).isCloseTo(1f, within(1e-5f));
        assertThat(scores[0][1]).isEqualTo(scores[1][0]).isBetween(0.5f, 0.99f);
    }

    @Test
    void rerankAndSparse() throws IOException {
        List<List<String>> pairs = Arrays.asList(new ObjectMapper().readValue(
                FIXTURES.resolve("reference/cross-encoder-bert.public.pairs.json").toFile(), String[][].class))
                .stream().map(List::of).toList();
        float[] pythonScores = vector(FIXTURES.resolve("reference/cross-encoder-bert.public.scores.npy"));
        String query = pairs.get(0).get(0);
        assertThat(pairs.get(1).get(0)).isEqualTo(query);
        List<String> publicTexts = Files.readAllLines(FIXTURES.resolve("public.txt"));
        List<String> corpus = publicTexts.subList(0, 3);

        RerankAndSparse.Results results = RerankAndSparse.run(query, pairs.get(0).get(1), pairs.get(1).get(1),
                List.of(pairs.get(0).get(1), pairs.get(1).get(1)), List.of(publicTexts.get(0)), corpus);

        assertThat(results.pairScores()[0]).isCloseTo(scoreOf(pythonScores, 0), within(1e-5f));
        assertThat(results.pairScores()[1]).isCloseTo(scoreOf(pythonScores, 1), within(1e-5f));
        assertThat(results.top()).extracting(RankedText::index)
                .containsExactly(pythonScores[1] > pythonScores[0] ? new Integer[] {1, 0} : new Integer[] {0, 1});
        float[][] python = Npy.read(FIXTURES.resolve("reference/splade-bert.public.npy"));
        for (int i = 0; i < corpus.size(); i++) {
            float[] dense = results.docs().get(i).toArray(python[i].length);
            for (int j = 0; j < dense.length; j++) {
                assertThat(dense[j]).as("document %d, entry %d", i, j).isCloseTo(python[i][j], within(1e-4f));
            }
        }
        // The query is the first document: its dot product with itself is its squared norm.
        float[] first = results.docs().get(0).toArray(python[0].length);
        double selfDot = 0;
        for (float v : first) {
            selfDot += v * v;
        }
        assertThat(results.sparseScores()[0][0]).isCloseTo((float) selfDot, within(1e-3f * (float) selfDot));
    }

    private static float scoreOf(float[] scores, int pair) {
        return scores[pair];
    }

    /** A 1-d little-endian float32 .npy file (version 1 header), as numpy.save writes it. */
    private static float[] vector(Path file) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = bytes.getShort(8);
        bytes.position(10 + headerLength);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    @Test
    void search() throws IOException {
        Path working = Path.of("").toAbsolutePath();
        List<String> sts = Files.readAllLines(SHARED.resolve("data/stsb-en-dev.csv"));
        Files.write(working.resolve("stsb-en-dev.csv"), sts.subList(0, 101));
        deleteTree(working.resolve("idx"));
        List<String> corpus = List.of("The Earth is about 4.5 billion years old.", "A man is playing a guitar.",
                "Paris is the capital of France.");
        List<String> texts = List.of("A man is playing a guitar.", "Someone plays guitar.", "The cat sleeps.");

        try (SentenceTransformer model = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2");
                CrossEncoder reranker = CrossEncoder.load("cross-encoder/ms-marco-MiniLM-L6-v2")) {
            Search.Results results = Search.run(model, reranker, List.of("How old is our planet?"), corpus, texts);

            assertThat(results.hits().get(0).get(0).corpusIndex()).isZero();
            assertThat(results.best().get(0)).hasSize(3);
            assertThat(results.pairs().get(0).score()).isGreaterThan(0.5f);
            assertThat(results.clusters()).isEmpty();
            assertThat(results.sts().score(SimilarityFunction.COSINE).spearman()).isGreaterThan(0.6);
            assertThat(results.indexHits().get(0).text()).isEqualTo("The Earth is 4.5 billion years old.");
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void langChain4j() throws IOException {
        LangChain4j.Embedded embedded = LangChain4j.embed();
        assertThat(embedded.tokens()).isEqualTo(9);
        assertThat(embedded.vector()).hasSize(384);

        List<List<String>> pairs = Arrays.asList(new ObjectMapper().readValue(
                FIXTURES.resolve("reference/cross-encoder-bert.public.pairs.json").toFile(), String[][].class))
                .stream().map(List::of).toList();
        float[] pythonScores = vector(FIXTURES.resolve("reference/cross-encoder-bert.public.scores.npy"));
        LangChain4j.Scored scored = LangChain4j.score(pairs.get(0).get(0), pairs.get(0).get(1), pairs.get(1).get(1));
        assertThat(scored.scores().get(0)).isCloseTo(pythonScores[0], within(1e-5));
        assertThat(scored.scores().get(1)).isCloseTo(pythonScores[1], within(1e-5));
        assertThat(scored.tokens()).isPositive();
    }

    @Test
    void springAi() {
        SpringApplication application = new SpringApplication(SpringAiApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run()) {
            float[] vector = context.getBean(SpringAiApplication.Embedder.class).embed();

            assertThat(vector).containsExactly(LangChain4j.embed().vector(), within(1e-6f));
        }
    }
}
