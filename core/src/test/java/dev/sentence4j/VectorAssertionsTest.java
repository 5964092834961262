package dev.sentence4j;

import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared assert-close fails on the first row that strays, and names it. */
class VectorAssertionsTest {
    private static final float[][] EXPECTED = {{1f, 2f, 3f}, {0f, -1f, 0.5f}};

    @Test
    void passesWithinTheToleranceAndFailsBeyondIt() {
        float[][] near = {{1f, 2f, 3f + 9e-6f}, {0f, -1f, 0.5f}};
        float[][] far = {{1f, 2f, 3f}, {0f, -1f + 2e-5f, 0.5f}};

        assertThatCode(() -> assertClose(near, EXPECTED, 1e-5)).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertClose(far, EXPECTED, 1e-5, List.of("first", "second")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("row 1 (second): largest difference, at element 1");
    }

    @Test
    void failsOnNaNAndOnOtherShapes() {
        assertThatThrownBy(() -> assertClose(new float[] {1f, Float.NaN}, new float[] {1f, 2f}, 1))
                .hasMessageContaining("at element 1");
        assertThatThrownBy(() -> assertClose(new float[][] {{1f, 2f, 3f}}, EXPECTED, 1)).hasMessageContaining("rows");
        assertThatThrownBy(() -> assertClose(new float[][] {{1f, 2f}, {0f, -1f}}, EXPECTED, 1)).hasMessageContaining("dimensions");
    }
}
