package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-encoder of {@code shared/fixtures/st6}, saved by the real sentence-transformers 6.0.1,
 * scores the reference pairs as its {@code CrossEncoder.predict} did, ranks as those scores order, and
 * refuses bad input clearly.
 */
class CrossEncoderTest {
    private static CrossEncoder model;
    private static List<TextPair> pairs;

    @BeforeAll
    static void load() throws IOException {
        model = CrossEncoder.load(folder().toString());
        pairs = CrossEncoderReference.pairs();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Path folder() {
        return CrossEncoderReference.folder();
    }

    @Test
    void scoresAreTheLibrarys() throws IOException {
        float[] expected = CrossEncoderReference.scores(pairs.size());

        assertThat(model.predict(pairs)).containsExactly(expected, within(1e-5f));
        assertThat(model.predict(pairs, PredictOptions.defaults().withBatchSize(1))).containsExactly(expected, within(1e-5f));
        assertThat(model.predict(pairs.get(6))).isCloseTo(expected[6], within(1e-5f));
    }

    @Test
    void rawLogitsAreTheLibrarys() throws IOException {
        float[] expected = CrossEncoderReference.logits(pairs.size());

        assertThat(model.predict(pairs, PredictOptions.defaults().withApplyActivation(false)))
                .containsExactly(expected, within(1e-5f));
        float[][] all = model.predictAll(pairs, PredictOptions.defaults().withApplyActivation(false));
        assertThat(all).hasNumberOfRows(pairs.size());
        assertThat(all[3]).containsExactly(new float[] {expected[3]}, within(1e-5f));
        // A softmax over one label is 1, whatever the logit.
        assertThat(model.predictAll(pairs.subList(0, 2), PredictOptions.defaults().withApplySoftmax(true)))
                .isDeepEqualTo(new float[][] {{1f}, {1f}});
    }

    /**
     * A three-label copy built from the checkpoint, its classifier rows derived from the one label's:
     * (w, b), (2w, 2b - 1), (-w, -b). Its logits are then l, 2l - 1 and -l, where l is the real library's
     * logit for the pair; with no saved activation several labels mean Identity, and softmax runs over the three.
     */
    @Test
    void severalLabelsDefaultToIdentityAndSoftmaxRunsAcrossThem(@TempDir Path temp) throws IOException {
        Path folder = ModelFolders.st6(temp, "cross-encoder-bert", "three-labels");
        Files.delete(folder.resolve("onnx/model.onnx"));
        Path checkpoint = folder.resolve("model.safetensors");
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(Files.readAllBytes(checkpoint), "fixture"));
        float[] w = tensors.get("classifier.weight").values();
        float b = tensors.get("classifier.bias").values()[0];
        float[] weights = new float[3 * w.length];
        for (int i = 0; i < w.length; i++) {
            weights[i] = w[i];
            weights[w.length + i] = 2 * w[i];
            weights[2 * w.length + i] = -w[i];
        }
        tensors.put("classifier.weight", new SafeTensors.Tensor(new long[] {3, w.length}, weights));
        tensors.put("classifier.bias", new SafeTensors.Tensor(new long[] {3}, new float[] {b, 2 * b - 1, -b}));
        SafeTensors.write(checkpoint, tensors);
        Path config = folder.resolve("config.json");
        Files.writeString(config, Files.readString(config)
                .replaceFirst("\"id2label\": \\{[^}]*}", "\"id2label\": {\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}")
                .replaceFirst("\"label2id\": \\{[^}]*}", "\"label2id\": {\"a\": 0, \"b\": 1, \"c\": 2}"));
        Path settings = folder.resolve("config_sentence_transformers.json");
        Files.writeString(settings, Files.readString(settings).replace("\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\",", ""));
        float[] logits = CrossEncoderReference.logits(pairs.size());

        try (CrossEncoder three = CrossEncoder.load(folder.toString(), LoadOptions.defaults().withCacheDirectory(null))) {
            assertThat(three.labels()).containsExactly("a", "b", "c");
            assertThat(three.activation()).isEqualTo(Activation.IDENTITY);
            float[][] scores = three.predictAll(pairs);
            float[][] softmax = three.predictAll(pairs, PredictOptions.defaults().withApplySoftmax(true));
            for (int i = 0; i < pairs.size(); i++) {
                float l = logits[i];
                assertThat(scores[i]).as("pair %d", i).containsExactly(new float[] {l, 2 * l - 1, -l}, within(1e-5f));
                double[] e = {Math.exp(l), Math.exp(2 * l - 1), Math.exp(-l)};
                double sum = e[0] + e[1] + e[2];
                assertThat(softmax[i]).as("pair %d", i).containsExactly(
                        new float[] {(float) (e[0] / sum), (float) (e[1] / sum), (float) (e[2] / sum)}, within(1e-5f));
            }
        }
    }

    @Test
    void readsTheActivationAndLabelsTheFolderGives() {
        assertThat(model.activation()).isEqualTo(Activation.SIGMOID);
        assertThat(model.labels()).containsExactly("LABEL_0");
        assertThat(model.format()).isEqualTo(FolderFormat.V6);
        assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(64);
    }

    @Test
    void longPairsAreCutToTheModelsLengthOrRefused() throws IOException {
        int longPair = 5;
        Tokens tokens = model.tokenizer().tokenizePairs(List.of(pairs.get(longPair).first()), List.of(pairs.get(longPair).second()))
                .get(0);
        assertThat(tokens.length()).isEqualTo(64);
        assertThat(tokens.truncated()).isTrue();
        // Longest first: the short second text keeps all its tokens.
        int secondAlone = model.tokenizer().tokenize(List.of(pairs.get(longPair).second())).get(0).length() - 1;
        assertThat(Arrays.stream(tokens.typeIds()).filter(t -> t == 1).count()).isEqualTo(secondAlone);

        assertThatThrownBy(() -> model.predict(pairs, PredictOptions.defaults().withLongInputs(LongInputs.ERROR)))
                .isInstanceOf(TextTooLongException.class)
                .hasMessageStartingWith("pair " + longPair + " has ")
                .hasMessageContaining("more than the 64 the model takes");
        assertThatThrownBy(() -> PredictOptions.defaults().withLongInputs(LongInputs.CHUNK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not chunked");
    }

    @Test
    void rankOrdersAsTheScoresDo() throws IOException {
        float[] expected = CrossEncoderReference.scores(pairs.size());
        String query = pairs.get(0).first();
        List<Integer> sameQuery = IntStream.range(0, pairs.size()).filter(i -> pairs.get(i).first().equals(query)).boxed().toList();
        List<String> documents = sameQuery.stream().map(i -> pairs.get(i).second()).toList();
        assertThat(documents).hasSizeGreaterThan(3);

        List<RankedText> ranked = model.rank(query, documents, 10);

        List<Integer> byScore = new ArrayList<>(IntStream.range(0, documents.size()).boxed().toList());
        byScore.sort(Comparator.comparingDouble((Integer d) -> expected[sameQuery.get(d)]).reversed());
        assertThat(ranked).extracting(RankedText::index).containsExactlyElementsOf(byScore);
        for (RankedText r : ranked) {
            assertThat(r.score()).isCloseTo(expected[sameQuery.get(r.index())], within(1e-5f));
            assertThat(r.text()).isEqualTo(documents.get(r.index()));
        }
        assertThat(model.rank(query, documents, 2)).extracting(RankedText::index).containsExactlyElementsOf(byScore.subList(0, 2));
        List<RankedText> logits = model.rank(query, documents, 10, PredictOptions.defaults().withApplyActivation(false));
        assertThat(logits).extracting(RankedText::index).containsExactlyElementsOf(byScore);
        assertThat(logits.get(0).score()).isLessThan(0);
    }

    @Test
    void equalScoresKeepTheDocumentsOrder() {
        List<RankedText> ranked = model.rank("a query", Collections.nCopies(3, "the same document"), 3);

        assertThat(ranked).extracting(RankedText::index).containsExactly(0, 1, 2);
    }

    /** Pairs tokenized once know their token counts, score as the pairs do joined, and run only on the model that made them. */
    @Test
    void tokenizedPairsScoreAsThePairsDo() throws IOException {
        float[] expected = CrossEncoderReference.scores(pairs.size());
        PredictOptions options = PredictOptions.defaults().withBatchSize(3);

        TokenizedTexts<TextPair> first = model.tokenize(pairs.subList(0, 4), options);
        TokenizedTexts<TextPair> joined = TokenizedTexts.join(List.of(first, model.tokenize(pairs.subList(4, pairs.size()), options)));

        assertThat(first.texts()).isEqualTo(pairs.subList(0, 4));
        TextPair pair = pairs.get(0);
        assertThat(first.tokenCount(0)).isEqualTo(model.tokenizer().tokenizePairs(List.of(pair.first()), List.of(pair.second()))
                .get(0).untruncatedLength());
        assertThat(model.predict(joined)).containsExactly(expected, within(1e-5f));
        assertThatThrownBy(() -> TokenizedTexts.join(List.of(first, model.tokenize(pairs.subList(4, 5), PredictOptions.defaults()))))
                .hasMessage("only inputs tokenized by one model with the same options can be joined");
        try (CrossEncoder other = CrossEncoder.load(folder().toString())) {
            assertThatThrownBy(() -> other.predict(first)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("these inputs were tokenized by another model than " + other.name());
        }
    }

    @Test
    void optionsThatContradictEachOtherAreRefused() {
        assertThatThrownBy(() -> PredictOptions.defaults().withPromptName("query").withPrompt("query: "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a prompt ('query: ') and a prompt name ('query') contradict each other: give one");
        assertThat(PredictOptions.defaults().withApplyActivation(false)).isEqualTo(PredictOptions.defaults().withApplyActivation(false))
                .hasSameHashCodeAs(PredictOptions.defaults().withApplyActivation(false)).isNotEqualTo(PredictOptions.defaults());
        assertThatThrownBy(() -> CrossEncoder.load(ModelFiles.folder(folder()), LoadOptions.defaults().withRevision("v1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the options ask for revision 'v1'");
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        assertThat(model.rank("query", List.of(), 5)).isEmpty();
        assertThat(model.predict(List.of())).isEmpty();
        assertThatThrownBy(() -> model.rank("query", List.of("a", "b"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("top k must be at least 1, got 0");
        assertThatThrownBy(() -> model.rank("query", Arrays.asList("a", null), 3))
                .isInstanceOf(NullPointerException.class).hasMessage("document 1 is null");
        assertThatThrownBy(() -> model.rank(null, List.of("a"), 3))
                .isInstanceOf(NullPointerException.class).hasMessage("the query is null");
        assertThatThrownBy(() -> model.predict(List.of(new TextPair("a", "b"), new TextPair("a", null))))
                .isInstanceOf(NullPointerException.class).hasMessage("pair 1 has a null second text");
        assertThatThrownBy(() -> model.predict(Arrays.asList(new TextPair("a", "b"), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("pair 1 is null");
    }

    @Test
    void aFolderOfAnotherFamilyIsRefusedNamingTheClassToLoadItWith() {
        assertThatThrownBy(() -> SentenceTransformer.load(folder().toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("this is a CrossEncoder model; load it with CrossEncoder, not SentenceTransformer");
        assertThatThrownBy(() -> CrossEncoder.load(SentenceTransformers6Test.folder("seed-bert-mean").toString()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("this is a SentenceTransformer model; load it with SentenceTransformer, not CrossEncoder");
    }
}
