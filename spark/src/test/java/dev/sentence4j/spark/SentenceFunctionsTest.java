package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SentenceFunctionsTest {
    private static SparkSession spark;
    private static List<String> sentences;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        sentences = Reference.sentences();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            rows.add(RowFactory.create(i, sentences.get(i)));
        }
        rows.add(RowFactory.create(sentences.size(), null));
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        LocalSpark.rows(rows, schema, 2).createOrReplaceTempView("docs");
    }

    @Test
    void theSqlFunctionGivesTheReferenceVectorsAndNullForNull() {
        SentenceFunctions.register(spark, "embed", Reference.MODEL);

        List<Row> rows = spark.sql("SELECT id, embed(text) AS v FROM docs ORDER BY id").collectAsList();

        float[][] reference = Reference.vectors();
        assertThat(rows).hasSize(reference.length + 1);
        for (int i = 0; i < reference.length; i++) {
            List<Float> vector = rows.get(i).getList(1);
            assertThat(vector).hasSize(reference[i].length);
            for (int d = 0; d < vector.size(); d++) {
                assertThat((double) vector.get(d)).as("row %d, dimension %d", i, d)
                        .isCloseTo(reference[i][d], within(Reference.TOLERANCE));
            }
        }
        assertThat(rows.get(reference.length).isNullAt(1)).as("a null text").isTrue();
    }

    @Test
    void anEmbeddersSettingsShapeTheSqlFunction() {
        SentenceFunctions.register(spark, "embed_short",
                new SentenceEmbedder().setModel(Reference.MODEL).setTruncateDim(64).setNormalize(false));

        List<Row> rows = spark.sql("SELECT embed_short(text) AS v FROM docs WHERE id < 3 ORDER BY id").collectAsList();

        float[][] reference = Reference.vectors();
        assertThat(rows).hasSize(3);
        for (int i = 0; i < rows.size(); i++) {
            List<Float> vector = rows.get(i).getList(0);
            assertThat(vector).hasSize(64);
            // Without normalization the first 64 values keep the full vector's direction, not its scale.
            double dot = 0;
            double norm = 0;
            double referenceNorm = 0;
            for (int d = 0; d < 64; d++) {
                dot += vector.get(d) * reference[i][d];
                norm += vector.get(d) * vector.get(d);
                referenceNorm += reference[i][d] * reference[i][d];
            }
            assertThat(dot / Math.sqrt(norm * referenceNorm)).isCloseTo(1.0, within(1e-5));
            assertThat(Math.sqrt(norm)).isGreaterThan(Math.sqrt(referenceNorm) * 1.5);
        }
    }
}
