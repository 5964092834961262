package dev.sentence4j;

import java.util.Arrays;

/**
 * A sparse vector, as a {@link SparseEncoder} gives one per text: its non-zero entries as
 * {@code (index, value)} pairs, sorted by index. The arrays are not copied: treat them as read-only.
 *
 * @param indices the entries' positions (vocabulary ids), strictly increasing
 * @param values the entries' values, one per index
 */
public record SparseVector(int[] indices, float[] values) {
    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException("indices must be non-negative and strictly increasing; index " + i
                        + " is " + indices[i] + (i > 0 ? " after " + indices[i - 1] : ""));
            }
        }
    }

    /** The non-zero entries of a dense vector. */
    public static SparseVector of(float[] dense) {
        int count = 0;
        for (float value : dense) {
            count += value != 0 ? 1 : 0;
        }
        int[] indices = new int[count];
        float[] values = new float[count];
        for (int v = 0, k = 0; v < dense.length; v++) {
            if (dense[v] != 0) {
                indices[k] = v;
                values[k++] = dense[v];
            }
        }
        return new SparseVector(indices, values);
    }

    /** The number of non-zero entries. */
    public int size() {
        return indices.length;
    }

    /**
     * The dense form: {@code dimension} values, zero where this vector has no entry.
     *
     * @throws IllegalArgumentException if an index does not fit
     */
    public float[] toArray(int dimension) {
        if (indices.length > 0 && indices[indices.length - 1] >= dimension) {
            throw new IllegalArgumentException("index " + indices[indices.length - 1] + " does not fit in " + dimension
                    + " dimensions");
        }
        float[] dense = new float[dimension];
        for (int k = 0; k < indices.length; k++) {
            dense[indices[k]] = values[k];
        }
        return dense;
    }

    /** The dot product with another sparse vector. */
    public float dot(SparseVector other) {
        double sum = 0;
        for (int i = 0, j = 0; i < indices.length && j < other.indices.length; ) {
            if (indices[i] == other.indices[j]) {
                sum += (double) values[i++] * other.values[j++];
            } else if (indices[i] < other.indices[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (float) sum;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SparseVector o && Arrays.equals(indices, o.indices) && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("SparseVector{");
        for (int k = 0; k < indices.length; k++) {
            out.append(k == 0 ? "" : ", ").append(indices[k]).append(": ").append(values[k]);
        }
        return out.append('}').toString();
    }
}
