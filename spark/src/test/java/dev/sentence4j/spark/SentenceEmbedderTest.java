package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SentenceEmbedderTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    /** The sample as rows (id, text), over three partitions so that each task encodes a part. */
    private static Dataset<Row> sample() {
        List<String> sentences = Reference.sentences();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            rows.add(RowFactory.create(i, sentences.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void vectorsEqualTheReference() {
        List<Row> out = new SentenceEmbedder().setModel(Reference.MODEL).transform(sample()).collectAsList();
        float[][] expected = Reference.vectors();
        assertThat(out).hasSize(expected.length);
        for (Row row : out) {
            int id = row.getInt(0);
            List<Float> vector = row.getList(2);
            assertThat(vector).hasSize(384);
            for (int d = 0; d < vector.size(); d++) {
                assertThat((double) vector.get(d)).as("row %d, dimension %d", id, d).isCloseTo(expected[id][d], within(Reference.TOLERANCE));
            }
        }
    }
}
