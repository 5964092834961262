package dev.sentence4j.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Quantization as sentence-transformers' {@code quantize_embeddings}; the expected bytes are NumPy 2.4's
 * for the same float32 arithmetic (so 1 / (1/255) lands just under 255 and truncates to 254).
 */
class QuantizerTest {
    private static final float[][] VECTORS = {{0f, 1f}, {1f, 3f}, {0.5f, 2f}};

    @Test
    void uint8ScalesEachDimensionBetweenItsMinimumAndMaximum() {
        byte[][] q = Quantizer.quantize(VECTORS, Precision.UINT8, null);

        assertThat(q[0]).containsExactly(0, 0);
        assertThat(q[1]).containsExactly((byte) 254, (byte) 254);
        assertThat(q[2]).containsExactly(127, 127);
    }

    @Test
    void int8ShiftsBy128BeforeTruncatingTowardZero() {
        byte[][] q = Quantizer.quantize(VECTORS, Precision.INT8, null);

        assertThat(q[0]).containsExactly(-128, -128);
        assertThat(q[1]).containsExactly(126, 126);
        assertThat(q[2]).containsExactly(0, 0);
    }

    @Test
    void calibrationSetsTheRangesAndOutliersAreClamped() {
        float[][] calibration = {{0f, 0f}, {2f, 2f}};

        byte[][] q = Quantizer.quantize(new float[][] {{1f, 5f}, {-1f, 0f}}, Precision.UINT8, calibration);

        assertThat(q[0]).containsExactly(127, (byte) 255);
        assertThat(q[1]).containsExactly(0, 0);
    }

    @Test
    void binaryPacksPositiveSignsEightToAByte() {
        float[][] v = {{0.1f, -0.2f, 0f, 0.3f, 1f, 1f, 1f, 1f, 5f}};

        assertThat(Quantizer.quantize(v, Precision.UBINARY, null)[0]).containsExactly((byte) 0b10011111, (byte) 0b10000000);
        assertThat(Quantizer.quantize(v, Precision.BINARY, null)[0]).containsExactly((byte) (0b10011111 - 128), (byte) 0);
    }

    @Test
    void precisionsHaveSentenceTransformersNames() {
        assertThat(Precision.fromName("ubinary")).isEqualTo(Precision.UBINARY);
        assertThatThrownBy(() -> Precision.fromName("int4")).hasMessageContaining("int4").hasMessageContaining("float32");
        assertThatThrownBy(() -> Quantizer.quantize(VECTORS, Precision.FLOAT32, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
