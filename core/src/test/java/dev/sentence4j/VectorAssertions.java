package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.similarity.SimilarityFunction;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Vectors compared element by element within a tolerance, for the tests of every module: a failure
 * names the row (and its text, when given), the element that differs most, and by how much.
 */
public final class VectorAssertions {
    /** The largest difference per element that {@code shared/reference} promises against the reference vectors. */
    public static final double REFERENCE_TOLERANCE = 1e-5;

    private VectorAssertions() {}

    /** Each row of {@code actual} equals the same row of {@code expected} within {@code tolerance} per element. */
    public static void assertClose(float[][] actual, float[][] expected, double tolerance) {
        assertClose(actual, expected, tolerance, row -> "row " + row);
    }

    /** As {@link #assertClose(float[][], float[][], double)}, naming each row by its text. */
    public static void assertClose(float[][] actual, float[][] expected, double tolerance, List<String> texts) {
        assertThat(texts).hasSameSizeAs(expected);
        assertClose(actual, expected, tolerance, row -> "row " + row + " (" + shortened(texts.get(row)) + ")");
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** One vector against another, within {@code tolerance} per element. */
    public static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertClose(new float[][] {actual}, new float[][] {expected}, tolerance, row -> "the vector");
    }

    private static void assertClose(float[][] actual, float[][] expected, double tolerance, IntFunction<String> name) {
        assertThat(actual).as("rows").hasNumberOfRows(expected.length);
        for (int row = 0; row < expected.length; row++) {
            assertThat(actual[row]).as("%s: dimensions", name.apply(row)).hasSameSizeAs(expected[row]);
            int worst = worstElement(actual[row], expected[row]);
            double difference = worst < 0 ? 0 : Math.abs((double) actual[row][worst] - expected[row][worst]);
            assertThat(difference)
                    .as("%s: largest difference, at element %d (%s, expected %s)", name.apply(row), worst,
                            worst < 0 ? "-" : actual[row][worst], worst < 0 ? "-" : expected[row][worst])
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    /**
     * Vectors of an int8 export against float32's: each differs somewhere by more than float32's own
     * noise (1e-5 against the reference), so the int8 weights really ran, yet all point where float32's do.
     */
    public static void assertInt8Ran(float[][] int8, float[][] float32, double worstCosine, double meanCosine) {
        assertThat(int8).hasNumberOfRows(float32.length);
        float[] cosines = SimilarityFunction.COSINE.pairwise(int8, float32);
        double sum = 0;
        for (int i = 0; i < int8.length; i++) {
            assertThat(maxAbsDiff(int8[i], float32[i])).as("row %d: largest difference from float32", i)
                    .isGreaterThan(1e-4);
            assertThat((double) cosines[i]).as("row %d: cosine to float32", i).isGreaterThan(worstCosine);
            sum += cosines[i];
        }
        assertThat(sum / int8.length).as("mean cosine to float32").isGreaterThan(meanCosine);
    }

    /** The largest difference per element between two vectors of one length. */
    public static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        int worst = worstElement(a, b);
        return worst < 0 ? 0 : Math.abs((double) a[worst] - b[worst]);
    }

    /** The index where two vectors differ most (NaN anywhere counts as most), or -1 if they are empty. */
    private static int worstElement(float[] a, float[] b) {
        int worst = -1;
        double largest = -1;
        for (int i = 0; i < a.length; i++) {
            double difference = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(difference)) {
                return i;
            }
            if (difference > largest) {
                largest = difference;
                worst = i;
            }
        }
        return worst;
    }
}
