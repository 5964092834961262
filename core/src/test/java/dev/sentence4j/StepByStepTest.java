package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.layer.Normalize;
import dev.sentence4j.similarity.SimilarityFunction;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.module.TokenEmbeddings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline one stage at a time, as the README shows it, gives what {@code encode} gives. */
class StepByStepTest {

    @Test
    void eachStageOnItsOwnMatchesEncode() {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        List<String> sentences = Shared.lines("data/seed-sentences.txt");

        BatchEncoding batch = model.tokenizer().encode(sentences);                // input_ids, attention_mask, token_type_ids
        TokenEmbeddings tokens = model.transformer().run(batch);                    // [6, tokens, 384]
        float[][] pooled = model.pooling().pool(tokens);                            // mean over real tokens
        float[][] vectors = Normalize.l2(pooled);                                   // unit length
        float[][] scores = SimilarityFunction.COSINE.matrix(vectors, vectors);

        assertThat(batch.batchSize()).isEqualTo(6);
        assertThat(tokens.hiddenSize()).isEqualTo(384);
        assertClose(vectors, model.encode(sentences), 1e-5, sentences);
        assertThat(scores[0][2]).isCloseTo(0.476377f, within(1e-5f));
    }
}
