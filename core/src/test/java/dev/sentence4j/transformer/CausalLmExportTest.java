package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LlmRerankerFolders;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.ChatTemplate;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An LLM reranker's causal-LM export gives the whole head at every position, {@code [rows, tokens,
 * vocabulary]}: a batch whose logits would exceed the bound runs in parts of fewer rows, and each row's
 * last-position logits come out as one run gives them, and as the graph built from the checkpoint gives
 * them (which {@code graph.LlmRerankerTest} checks against a float64 decoder).
 */
class CausalLmExportTest {
    @TempDir
    Path temp;

    @Test
    void aBatchWhoseLogitsExceedTheBoundRunsInPartsGivingTheSameRows() throws Exception {
        Path folder = LlmRerankerFolders.write(temp.resolve("llm-reranker"));
        LlmRerankerFolders.writeExport(folder, true);
        List<String> documents = List.of("paris", "the cat sleeps on the mat all day long", "london is big", "d",
                "france is a country in europe, west of germany");
        try (CrossEncoder exported = CrossEncoder.load(folder.toString());
                CrossEncoder built = CrossEncoder.load(folder.toString(), LoadOptions.defaults().withCheckpoint(true))) {
            Transformer export = exported.transformer();
            Tokenizer tokenizer = export.tokenizer();
            ChatTemplate template = export.chatTemplate().orElseThrow();
            List<Tokens> rows = new ArrayList<>();
            for (String document : documents) {
                long[] ids = tokenizer.idsAsRendered(template.renderPair(LlmRerankerFolders.INSTRUCTION, "what is the capital", document));
                rows.add(new Tokens(ids, new long[ids.length], ids.length));
            }
            BatchEncoding batch = tokenizer.pad(rows);
            assertThat(batch.tokenCount(3)).isLessThan(batch.sequenceLength());

            float[][] whole = export.lastTokenLogits(batch);
            // two rows' logits a run: three runs of 2, 2 and 1 rows
            float[][] parts = export.lastTokenLogits(batch, 2L * batch.sequenceLength() * 1500);
            float[][] checkpoint = built.transformer().lastTokenLogits(batch);

            assertThat(parts).hasDimensions(documents.size(), 2);
            for (int row = 0; row < documents.size(); row++) {
                for (int r = 0; r < 2; r++) {
                    assertThat(parts[row][r]).as("row %d", row).isCloseTo(whole[row][r], org.assertj.core.api.Assertions.within(1e-5f))
                            .isCloseTo(checkpoint[row][r], org.assertj.core.api.Assertions.within(2e-4f));
                }
            }
        }
    }
}
