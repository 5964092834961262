package dev.sentence4j.spark;

import dev.sentence4j.quantize.Precision;
import dev.sentence4j.quantize.Quantizer;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The column the vectors go into: {@code array<float>} or an ML {@code Vector} for float32;
 * {@code array<tinyint>} for int8 and binary, whose values are the signed bytes sentence-transformers
 * gives; {@code array<smallint>} for uint8 and ubinary, 0 to 255, as Spark has no unsigned byte.
 *
 * @param precision the number format
 * @param mlVector whether float32 vectors go into an ML {@code Vector} rather than an array
 * @param ranges for int8 and uint8, each dimension's minimum (row 0) and maximum (row 1), fixed before
 *     the job so every partition scales alike; else {@code null}
 */
record VectorColumn(Precision precision, boolean mlVector, float[][] ranges) implements Serializable {
    private static final long serialVersionUID = 1L;

    VectorColumn {
        if (mlVector && precision != Precision.FLOAT32) {
            throw new IllegalArgumentException("an ML Vector holds float32 vectors, not " + precision.label()
                    + "; use the array output type for quantized vectors");
        }
        if ((precision == Precision.INT8 || precision == Precision.UINT8) && ranges == null) {
            throw new IllegalArgumentException(precision.label() + " needs calibration vectors (a .npy file) to fix each "
                    + "dimension's range: ranges taken from each partition's own vectors would scale partitions differently");
        }
    }

    /** The column's type. */
    DataType dataType() {
        if (mlVector) {
            return SQLDataTypes.VectorType();
        }
        return switch (precision) {
            case FLOAT32 -> DataTypes.createArrayType(DataTypes.FloatType, false);
            case INT8, BINARY -> DataTypes.createArrayType(DataTypes.ByteType, false);
            case UINT8, UBINARY -> DataTypes.createArrayType(DataTypes.ShortType, false);
        };
    }

    /** The column values of some vectors, in order. */
    Object[] values(float[][] vectors) {
        Object[] values = new Object[vectors.length];
        if (precision == Precision.FLOAT32) {
            for (int i = 0; i < vectors.length; i++) {
                values[i] = mlVector ? Vectors.dense(widen(vectors[i])) : vectors[i];
            }
            return values;
        }
        byte[][] bytes = Quantizer.quantize(vectors, precision, ranges);
        for (int i = 0; i < bytes.length; i++) {
            values[i] = precision.unsigned() ? unsigned(bytes[i]) : bytes[i];
        }
        return values;
    }

    private static double[] widen(float[] vector) {
        double[] wide = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            wide[i] = vector[i];
        }
        return wide;
    }

    private static short[] unsigned(byte[] bytes) {
        short[] values = new short[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = (short) (bytes[i] & 0xff);
        }
        return values;
    }

    /** Each dimension's minimum and maximum over calibration vectors: all that int8 and uint8 scaling uses of them. */
    static float[][] ranges(float[][] calibration) {
        if (calibration.length == 0) {
            throw new IllegalArgumentException("the calibration file holds no vectors");
        }
        int dimension = calibration[0].length;
        float[] min = new float[dimension];
        float[] max = new float[dimension];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (float[] row : calibration) {
            for (int d = 0; d < dimension; d++) {
                min[d] = Math.min(min[d], row[d]);
                max[d] = Math.max(max[d], row[d]);
            }
        }
        return new float[][] {min, max};
    }
}
