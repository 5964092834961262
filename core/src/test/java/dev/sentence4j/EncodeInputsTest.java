package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.layer.Normalize;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code encode} does with unusual input. */
class EncodeInputsTest {
    private final SentenceTransformer model = TestModels.get(Shared.MINILM);

    @Test
    void anEmptyListGivesNoVectors() {
        assertThat(model.encode(List.of())).isEmpty();
    }

    @Test
    void anEmptyStringIsAValidText() {
        float[] empty = model.encode("");

        assertThat(empty).hasSize(384);
        assertThat(Normalize.norm(empty)).isCloseTo(1.0, within(1e-6));
        assertThat(model.encode("   ")).containsExactly(empty);
    }

    @Test
    void aNullTextIsNamedByIndex() {
        assertThatThrownBy(() -> model.encode(Arrays.asList("a", "b", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("text 2 is null");
    }

    @Test
    void normalizationCanBeTurnedOff() {
        List<String> texts = List.of("A man is playing a guitar.", "Someone plays guitar.");
        float[][] raw = model.encode(texts, EncodeOptions.defaults().withNormalize(false));

        assertThat(Normalize.norm(raw[0])).isGreaterThan(1.5);
        assertThat(Normalize.l2(raw)[1]).containsExactly(model.encode(texts)[1], within(1e-6f));
    }

    @Test
    void describesItself() {
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(model.transformer().outputName()).isEqualTo("output_0");
        assertThat(model.transformer().inputNames()).containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
        assertThat(model.tokenizer().settings().maxSeqLength()).isEqualTo(256);
        assertThat(model.similarityFunction().label()).isEqualTo("cosine");
    }

    @Test
    void batchSizeMustBePositive() {
        assertThatThrownBy(() -> EncodeOptions.defaults().withBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
