package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LlmRerankerFolders;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.RankedText;
import dev.sentence4j.TextPair;
import dev.sentence4j.TokenizedTexts;
import dev.sentence4j.layer.Activation;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.tokenize.LibraryTokens;
import dev.sentence4j.weights.SafeTensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An LLM reranker in sentence-transformers 6's layout (Transformer for text generation, LogitScore),
 * built here from the Qwen3 fixture's weights as a tied Qwen3ForCausalLM with the Qwen3-Reranker chat
 * template. Expected scores come from the prompt written out in this test, tokenized with the tokenizer
 * library directly, run through a float64 decoder: sigmoid(logit(true) − logit(false)) at the last token.
 */
class LlmRerankerTest {
    private static final int TRUE_ID = LlmRerankerFolders.TRUE_ID;
    private static final int FALSE_ID = LlmRerankerFolders.FALSE_ID;
    private static final String INSTRUCTION = LlmRerankerFolders.INSTRUCTION;
    private static final List<TextPair> PAIRS = List.of(new TextPair("what is the capital of france", "paris is the capital"),
            new TextPair("a man eats", "the cat sleeps on the mat all day long"), new TextPair("q", "d"));
    @TempDir
    static Path temp;
    private static Path folder;
    private static ReferenceDecoder reference;
    private static Map<String, SafeTensors.Tensor> tensors;

    @BeforeAll
    static void writeTheReranker() throws Exception {
        folder = LlmRerankerFolders.write(temp.resolve("llm-reranker"));
        ObjectNode config = (ObjectNode) CheckpointFolders.JSON.readTree(folder.resolve("config.json").toFile());
        tensors = new LinkedHashMap<>();
        CheckpointFolders.tensors("qwen3-lasttoken").forEach((name, tensor) -> tensors.put("model." + name, tensor));
        reference = new ReferenceDecoder(tensors, config);
    }

    /** The prompt the Qwen3-Reranker template makes of a pair, written out by hand. */
    private static String prompt(String instruction, TextPair pair) {
        return "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct "
                + "provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n<Instruct>: "
                + instruction + "\n<Query>: " + pair.first() + "\n<Document>: " + pair.second()
                + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n\n";
    }

    private static long[] ids(String text) {
        return LibraryTokens.withoutSpecialTokens(folder.resolve("tokenizer.json"), text);
    }

    /** logit(true) − logit(false) at the last token, the embeddings tied to the head. */
    private static double logit(long[] ids) {
        return logit(ids, TRUE_ID, FALSE_ID);
    }

    /** logit(trueId) − logit(falseId) at the last token. */
    private static double logit(long[] ids, int trueId, int falseId) {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        double[] last = reference.hiddenStates(ids, mask)[ids.length - 1];
        float[] embeddings = tensors.get("model.embed_tokens.weight").values();
        double score = 0;
        for (int i = 0; i < last.length; i++) {
            score += (embeddings[trueId * 32 + i] - embeddings[falseId * 32 + i]) * last[i];
        }
        return score;
    }

    @Test
    void predictScoresTheTemplatedPairsByYesAgainstNo() throws Exception {
        for (boolean checkpoint : new boolean[] {false, true}) {
            try (CrossEncoder model = CrossEncoder.load(folder.toString(), LoadOptions.defaults().withCheckpoint(checkpoint))) {
                assertThat(model.transformer().builtFromCheckpoint()).isTrue();
                assertThat(model.activation()).isEqualTo(Activation.SIGMOID);
                float[] scores = model.predict(PAIRS);
                float[] logits = model.predict(PAIRS, PredictOptions.defaults().withApplyActivation(false));
                float[] code = model.predict(PAIRS, PredictOptions.defaults().withPromptName("code").withApplyActivation(false));
                for (int p = 0; p < PAIRS.size(); p++) {
                    double expected = logit(ids(prompt(INSTRUCTION, PAIRS.get(p))));
                    assertThat((double) logits[p]).as("pair %d", p).isCloseTo(expected, within(2e-4));
                    assertThat((double) scores[p]).isCloseTo(1 / (1 + Math.exp(-expected)), within(1e-5));
                    assertThat((double) code[p]).isCloseTo(logit(ids(prompt("Given a code snippet, retrieve text that explains it",
                            PAIRS.get(p)))), within(2e-4));
                }
            }
        }
    }

    /**
     * An export as optimum writes a {@code *ForCausalLM} (the whole head at every position), with and
     * without its key/value cache: the pairs are left padded to the longest, and the score is read at
     * the last position from the true and false columns, as the float64 decoder gives it.
     */
    @Test
    void anOnnxExportWithTheWholeHeadAtEveryPositionScoresAsTheDecoder() throws Exception {
        for (boolean cache : new boolean[] {false, true}) {
            Path exported = copyOfTheFolder(cache ? "export-with-past" : "export");
            LlmRerankerFolders.writeExport(exported, cache);
            try (CrossEncoder model = CrossEncoder.load(exported.toString())) {
                assertThat(model.transformer().builtFromCheckpoint()).isFalse();
                float[] logits = model.predict(PAIRS, PredictOptions.defaults().withApplyActivation(false));
                float[] one = model.predict(PAIRS.subList(2, 3), PredictOptions.defaults().withApplyActivation(false));
                for (int p = 0; p < PAIRS.size(); p++) {
                    assertThat((double) logits[p]).as("pair %d, cache %s", p, cache)
                            .isCloseTo(logit(ids(prompt(INSTRUCTION, PAIRS.get(p)))), within(2e-4));
                }
                // the shortest pair, padded on the left in the batch, alone
                assertThat(one[0]).isCloseTo(logits[2], within(1e-4f));
            }
        }
    }

    private static Path copyOfTheFolder(String name) throws Exception {
        Path copy = Files.createDirectories(temp.resolve(name));
        try (var files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(folder.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        return copy;
    }

    /**
     * A CrossEncoder whose one module is a Router, as sentence-transformers 6 allows (a route is any list
     * of modules, and {@code predict} passes its {@code task} to the Router): each route a causal LM with
     * its own chat template and its own LogitScore tokens, scored as the float64 decoder scores that
     * route's prompt by that route's tokens.
     */
    @Test
    void aRouterOfLlmRerankersScoresEachRouteWithItsTemplateAndTokens() throws Exception {
        int codeFalseId = 99;
        Path routed = LlmRerankerFolders.writeRouter(temp.resolve("router"), codeFalseId);
        PredictOptions raw = PredictOptions.defaults().withApplyActivation(false);
        try (CrossEncoder model = CrossEncoder.load(routed.toString())) {
            assertThat(model.routes()).containsExactly("web", "code");
            assertThat(model.labels()).hasSize(1);
            float[] web = model.predict(PAIRS, raw);
            float[] byDefault = model.predict(PAIRS);
            float[] code = model.predict(PAIRS, raw.withTask("code"));
            for (int p = 0; p < PAIRS.size(); p++) {
                double expectedWeb = logit(ids(prompt(INSTRUCTION, PAIRS.get(p))));
                double expectedCode = logit(ids(prompt(INSTRUCTION, PAIRS.get(p))
                        .replace(LlmRerankerFolders.QWEN3_SYSTEM, LlmRerankerFolders.CODE_SYSTEM)), TRUE_ID, codeFalseId);
                assertThat((double) web[p]).as("web, pair %d", p).isCloseTo(expectedWeb, within(2e-4));
                assertThat((double) byDefault[p]).isCloseTo(1 / (1 + Math.exp(-expectedWeb)), within(1e-5));
                assertThat((double) code[p]).as("code, pair %d", p).isCloseTo(expectedCode, within(2e-4))
                        .isNotCloseTo(expectedWeb, within(1e-3));
            }
        }
    }

    @Test
    void oneTransformerScoredByLogitScoresOfOtherTokensIsRefusedNamingTheFileAndField() throws Exception {
        Path routed = LlmRerankerFolders.writeRouter(temp.resolve("router-shared"), 99);
        // both routes run the web route's Transformer, each with its own LogitScore
        Path config = routed.resolve("router_config.json");
        ObjectNode router = (ObjectNode) CheckpointFolders.JSON.readTree(config.toFile());
        ((ObjectNode) router.get("structure")).putArray("code").add("web_0_Transformer").add("code_1_LogitScore");
        CheckpointFolders.JSON.writeValue(config.toFile(), router);

        assertThatThrownBy(() -> CrossEncoder.load(routed.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("code_1_LogitScore").hasMessageContaining("config.json")
                .hasMessageContaining("true_token_id/false_token_id").hasMessageContaining("'web_0_Transformer'")
                .hasMessageContaining("'web_1_LogitScore'");
    }

    /** A template that raises, or is not Jinja, is refused when the model loads, naming the file and the cause. */
    @Test
    void aTemplateThatCannotBeAppliedIsRefusedWhenLoadedNamingTheFile() throws Exception {
        Path raising = copyOfTheFolder("raising");
        Files.writeString(raising.resolve("chat_template.jinja"),
                "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation roles must be user') }}{% endif %}");
        assertThatThrownBy(() -> CrossEncoder.load(raising.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("chat_template.jinja").hasMessageContaining("Conversation roles must be user");
        Path broken = copyOfTheFolder("not-jinja");
        Files.writeString(broken.resolve("chat_template.jinja"), "{% for m in messages %}{{ m.content }}");
        assertThatThrownBy(() -> CrossEncoder.load(broken.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("chat_template.jinja");
    }

    /**
     * A model shorter than the template's own turns: as sentence-transformers 6 cuts it, on the right to the
     * model's length, then the template's ending written over the last tokens kept, so no text of the pair
     * is left and every pair scores alike; {@link LongInputs#ERROR} refuses it instead.
     */
    @Test
    void aModelShorterThanTheTemplateIsCutAsSentenceTransformersCutsIt() throws Exception {
        Path small = copyOfTheFolder("short-model");
        ObjectNode tokenizerConfig = (ObjectNode) CheckpointFolders.JSON.readTree(small.resolve("tokenizer_config.json").toFile());
        tokenizerConfig.put("model_max_length", 16);
        CheckpointFolders.JSON.writeValue(small.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
        long[] ending = templateEnding();
        try (CrossEncoder model = CrossEncoder.load(small.toString())) {
            float[] logits = model.predict(PAIRS, PredictOptions.defaults().withApplyActivation(false));
            for (int p = 0; p < PAIRS.size(); p++) {
                long[] expected = Arrays.copyOf(ids(prompt(INSTRUCTION, PAIRS.get(p))), 16);
                int keep = Math.min(ending.length, 16);
                System.arraycopy(ending, ending.length - keep, expected, 16 - keep, keep);
                assertThat((double) logits[p]).as("pair %d", p).isCloseTo(logit(expected), within(2e-4));
            }
            assertThatThrownBy(() -> model.predict(PAIRS, PredictOptions.defaults().withLongInputs(LongInputs.ERROR)))
                    .hasMessageContaining("pair 0").hasMessageContaining("16");
        }
    }

    /** sentence-transformers' template ending: the longest common token ending of two renders whose texts differ. */
    private static long[] templateEnding() throws Exception {
        long[] zero = ids(prompt(INSTRUCTION, new TextPair("0", "0")));
        long[] digits = ids(prompt(INSTRUCTION, new TextPair("1 2 3 4", "1 2 3 4")));
        int common = 0;
        while (zero[zero.length - 1 - common] == digits[digits.length - 1 - common]) {
            common++;
        }
        return Arrays.copyOfRange(zero, zero.length - common, zero.length);
    }

    @Test
    void rankOrdersDocumentsByTheirScore() throws Exception {
        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            List<String> documents = List.of("paris is the capital", "the cat sleeps", "london is big");
            List<RankedText> ranked = model.rank("what is the capital of france", documents, 3);
            float[] scores = model.predict(documents.stream().map(d -> new TextPair("what is the capital of france", d)).toList());
            assertThat(ranked).hasSize(3);
            assertThat(ranked.get(0).score()).isGreaterThanOrEqualTo(ranked.get(1).score());
            for (RankedText r : ranked) {
                assertThat(r.score()).isEqualTo(scores[r.index()]);
            }
        }
    }

    @Test
    void aPairLongerThanTheModelKeepsTheTemplatesEnding() throws Exception {
        TextPair longPair = new TextPair("query", "word ".repeat(400));
        long[] whole = ids(prompt(INSTRUCTION, longPair));
        long[] ending = templateEnding();
        assertThat(ending.length).isGreaterThan(5);
        try (CrossEncoder model = CrossEncoder.load(folder.toString())) {
            int max = model.tokenizer().settings().maxSeqLength();
            assertThat(whole.length).isGreaterThan(max);
            assertThat(max).isEqualTo(256);
            TokenizedTexts<TextPair> tokenized = model.tokenize(List.of(longPair), PredictOptions.defaults());
            assertThat(tokenized.tokenCount(0)).isEqualTo(whole.length);
            long[] expected = Arrays.copyOf(whole, max);
            // the fixed ending the template puts after the document replaces the last tokens kept
            System.arraycopy(ending, 0, expected, max - ending.length, ending.length);
            assertThat(Arrays.copyOfRange(whole, whole.length - ending.length, whole.length)).containsExactly(ending);
            float logit = model.predict(tokenized.texts(), PredictOptions.defaults().withApplyActivation(false))[0];
            assertThat((double) logit).isCloseTo(logit(expected), within(2e-4));
            assertThatThrownBy(() -> model.predict(List.of(longPair), PredictOptions.defaults().withLongInputs(LongInputs.ERROR)))
                    .hasMessageContaining("pair 0");
        }
    }

    @Test
    void aCausalModelWithoutYesAndNoTokensIsRefusedNamingThem() throws Exception {
        Path implied = Files.createDirectories(temp.resolve("implied"));
        for (String file : List.of("tokenizer.json", "tokenizer_config.json", "config.json", "model.safetensors",
                "chat_template.jinja")) {
            Files.copy(folder.resolve(file), implied.resolve(file));
        }
        assertThatThrownBy(() -> CrossEncoder.load(implied.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no single 'yes' token");
    }

    @Test
    void aTemplateWithoutThePairRolesIsRefused() throws Exception {
        Path broken = copyOfTheFolder("user-only");
        Files.writeString(broken.resolve("chat_template.jinja"),
                "{% for m in messages %}{% if m.role == 'user' %}{{ m.content }}{% endif %}{% endfor %}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CrossEncoder.load(broken.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("chat_template.jinja").hasMessageContaining("'query' and 'document' content");
    }
}
