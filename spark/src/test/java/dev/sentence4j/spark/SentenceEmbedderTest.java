package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.LongInputs;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.Npy;
import dev.sentence4j.quantize.Precision;
import dev.sentence4j.quantize.Quantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceEmbedderTest {
    private static final StructType ID_TEXT = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true);

    private static SparkSession spark;
    private static List<String> sentences;
    private static float[][] reference;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        sentences = Reference.sentences();
        reference = Reference.vectors();
    }

    /** Rows (id, sentence id % 200) for ids 0 to count - 1, in {@code partitions} partitions, in order. */
    private static Dataset<Row> sample(int count, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create(i, sentences.get(i % sentences.size())));
        }
        return LocalSpark.rows(rows, ID_TEXT, partitions);
    }

    private static float[] floats(Row row, int column) {
        List<Float> values = row.getList(column);
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    private static void assertCloseTo(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int d = 0; d < expected.length; d++) {
            assertThat((double) actual[d]).as("%s, dimension %d", what, d).isCloseTo(expected[d], within(Reference.TOLERANCE));
        }
    }

    @Test
    void vectorsEqualTheReferenceInOrderAcrossChunks() {
        // One partition of more rows than one encode call takes, so the second chunk starts mid-sample.
        int count = EncodedRows.CHUNK_ROWS + 76;
        Dataset<Row> out = new SentenceEmbedder().setModel(Reference.MODEL).transform(sample(count, 1));

        assertThat(out.schema().fieldNames()).containsExactly("id", "text", "embedding");
        assertThat(out.schema().apply("embedding").dataType())
                .isEqualTo(DataTypes.createArrayType(DataTypes.FloatType, false));
        List<Row> rows = out.collectAsList();
        assertThat(rows).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(rows.get(i).getInt(0)).isEqualTo(i);
            assertCloseTo(floats(rows.get(i), 2), reference[i % reference.length], "row " + i);
        }
    }

    @Test
    void rowsKeepTheirOrderAndOtherColumnsAndNullTextsGetNullVectors() {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("text", DataTypes.StringType, true)
                .add("score", DataTypes.DoubleType, true);
        List<Row> input = List.of(
                RowFactory.create(10L, sentences.get(0), 0.5),
                RowFactory.create(11L, null, 1.5),
                RowFactory.create(12L, "", null),
                RowFactory.create(13L, sentences.get(1), 3.5),
                RowFactory.create(14L, null, 4.5),
                RowFactory.create(15L, sentences.get(2), 5.5));
        List<Row> twice = new ArrayList<>(input);
        twice.addAll(input);
        Dataset<Row> data = LocalSpark.rows(twice, schema, 2);

        List<Row> out = new SentenceEmbedder().setModel(Reference.MODEL).transform(data).collectAsList();

        assertThat(out).hasSize(12);
        int[] sentenceOf = {0, -1, -2, 1, -1, 2};
        for (int i = 0; i < out.size(); i++) {
            Row row = out.get(i);
            Row original = input.get(i % input.size());
            assertThat(row.getLong(0)).isEqualTo(original.getLong(0));
            assertThat(row.get(1)).isEqualTo(original.get(1));
            assertThat(row.get(2)).isEqualTo(original.get(2));
            int expected = sentenceOf[i % input.size()];
            if (expected == -1) {
                assertThat(row.isNullAt(3)).as("row %d: a null text", i).isTrue();
            } else if (expected == -2) {
                // An empty text is [CLS] [SEP], encoded as the library encodes it, not skipped or shifted.
                assertCloseTo(floats(row, 3), TestModels.get(Reference.MODEL).encode(""), "row " + i + ", the empty text");
            } else {
                assertCloseTo(floats(row, 3), reference[expected], "row " + i);
            }
        }
    }

    @Test
    void anMlVectorColumnHoldsTheSameVectors() {
        Dataset<Row> out = new SentenceEmbedder().setModel(Reference.MODEL).setOutputType("vector").setOutputCol("features")
                .transform(sample(12, 2));

        List<Row> rows = out.select("id", "features").collectAsList();
        assertThat(rows).extracting(row -> row.getInt(0)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 12).boxed().toList());
        for (Row row : rows) {
            Vector vector = (Vector) row.get(1);
            double[] values = vector.toArray();
            float[] narrowed = new float[values.length];
            for (int d = 0; d < values.length; d++) {
                narrowed[d] = (float) values[d];
            }
            assertCloseTo(narrowed, reference[row.getInt(0)], "row " + row.getInt(0));
        }
    }

    @Test
    void eachJvmLoadsAModelOnceForAllItsTasksAndLaterJobs() {
        // Threads fixed at 1: a load options key no other test uses, so this test sees its own loads.
        SentenceEmbedder embedder = new SentenceEmbedder().setModel(Reference.MODEL).setThreads(1);
        int before = ExecutorModels.loads();

        long first = embedder.transform(sample(40, 4)).filter("embedding IS NOT NULL").count();
        int afterFirst = ExecutorModels.loads();
        long second = embedder.transform(sample(40, 4)).filter("embedding IS NOT NULL").count();

        assertThat(first).isEqualTo(40);
        assertThat(second).isEqualTo(40);
        assertThat(afterFirst - before).as("loads by the first job's four tasks, two at a time").isEqualTo(1);
        assertThat(ExecutorModels.loads()).as("loads by the second job").isEqualTo(afterFirst);
    }

    @Test
    void aFolderShippedWithTheJobLoadsOnTheExecutorsByItsName(@TempDir Path folder) {
        Path model = ModelFolders.miniLm(folder, "shipped-minilm");
        spark.sparkContext().addFile(model.toString(), true);

        List<Row> rows = new SentenceEmbedder().setModel("shipped-minilm").transform(sample(6, 2)).collectAsList();

        assertThat(rows).extracting(row -> row.getInt(0)).containsExactly(0, 1, 2, 3, 4, 5);
        for (Row row : rows) {
            assertCloseTo(floats(row, 2), reference[row.getInt(0)], "row " + row.getInt(0));
        }
    }

    @Test
    void aModelThatCannotLoadFailsTheTaskNamingIt() {
        SentenceEmbedder embedder = new SentenceEmbedder().setModel("/nonexistent/model-folder");

        assertThatThrownBy(() -> embedder.transform(sample(3, 1)).collectAsList())
                .satisfies(e -> assertThat(String.join("\n", LocalSpark.messages(e)))
                        .contains("partition 0: cannot load the model '/nonexistent/model-folder': "));
    }

    @Test
    void pipelinesSaveAndLoadTheEmbedder(@TempDir Path folder) throws IOException {
        SentenceEmbedder embedder = new SentenceEmbedder().setModel(Reference.MODEL).setInputCol("text").setOutputCol("vec")
                .setBatchSize(8).setNormalize(false).setPrompt("query: ").setTruncateDim(128)
                .setLongInputs(LongInputs.CHUNK).setChunkStride(16);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {embedder}).fit(sample(8, 1));
        String path = folder.resolve("pipeline").toString();
        fitted.write().save(path);
        embedder.write().save(folder.resolve("embedder").toString());

        PipelineModel loaded = PipelineModel.load(path);
        SentenceEmbedder stage = (SentenceEmbedder) loaded.stages()[0];
        SentenceEmbedder alone = SentenceEmbedder.load(folder.resolve("embedder").toString());

        for (SentenceEmbedder copy : List.of(stage, alone)) {
            assertThat(copy.uid()).isEqualTo(embedder.uid());
            assertThat(copy.getModel()).isEqualTo(Reference.MODEL);
            assertThat(copy.getOutputCol()).isEqualTo("vec");
            assertThat(copy.getBatchSize()).isEqualTo(8);
            assertThat(copy.getNormalize()).isFalse();
            assertThat(copy.getPrompt()).isEqualTo("query: ");
            assertThat(copy.getPromptName()).isNull();
            assertThat(copy.getTruncateDim()).isEqualTo(128);
            assertThat(copy.getLongInputs()).isEqualTo(LongInputs.CHUNK);
            assertThat(copy.getChunkStride()).isEqualTo(16);
        }
        List<Row> expected = fitted.transform(sample(8, 1)).collectAsList();
        List<Row> actual = loaded.transform(sample(8, 1)).collectAsList();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            float[] vector = floats(actual.get(i), 2);
            assertThat(vector).hasSize(128);
            assertThat(vector).containsExactly(floats(expected.get(i), 2));
        }
    }

    @Test
    void quantizedPrecisionsGiveWhatTheQuantizerGives(@TempDir Path folder) throws IOException {
        Dataset<Row> data = sample(30, 2).cache();
        SentenceEmbedder embedder = new SentenceEmbedder().setModel(Reference.MODEL);
        float[][] floats = data.count() > 0 ? embedder.transform(data).collectAsList().stream()
                .map(row -> floats(row, 2)).toArray(float[][]::new) : null;
        Path calibration = folder.resolve("calibration.npy");
        Npy.write(calibration, reference);

        List<Row> bits = embedder.setPrecision(Precision.UBINARY).transform(data).collectAsList();
        List<Row> int8 = embedder.setPrecision(Precision.INT8).setCalibration(calibration.toString())
                .transform(data).collectAsList();
        List<Row> uint8 = embedder.setPrecision(Precision.UINT8).transform(data).collectAsList();

        byte[][] expectedBits = Quantizer.quantize(floats, Precision.UBINARY, null);
        byte[][] expectedInt8 = Quantizer.quantize(floats, Precision.INT8, reference);
        byte[][] expectedUint8 = Quantizer.quantize(floats, Precision.UINT8, reference);
        for (int i = 0; i < floats.length; i++) {
            assertThat(shorts(bits.get(i).getList(2))).as("ubinary row %d", i).containsExactly(unsigned(expectedBits[i]));
            assertThat(bytes(int8.get(i).getList(2))).as("int8 row %d", i).containsExactly(expectedInt8[i]);
            assertThat(shorts(uint8.get(i).getList(2))).as("uint8 row %d", i).containsExactly(unsigned(expectedUint8[i]));
        }
        data.unpersist();
    }

    private static short[] shorts(List<Short> values) {
        short[] out = new short[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static byte[] bytes(List<Byte> values) {
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static short[] unsigned(byte[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) (values[i] & 0xff);
        }
        return out;
    }

    @Test
    void aTooLongTextUnderTheErrorPolicyFailsTheTaskNamingItsPartitionAndRow() {
        String longText = String.join(" ", java.util.Collections.nCopies(400, "word"));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(RowFactory.create(i, i == 5 ? longText : sentences.get(i)));
        }
        Dataset<Row> data = LocalSpark.rows(rows, ID_TEXT, 1);
        SentenceEmbedder embedder = new SentenceEmbedder().setModel(Reference.MODEL).setLongInputs(LongInputs.ERROR);

        assertThatThrownBy(() -> embedder.transform(data).collectAsList())
                .satisfies(e -> assertThat(LocalSpark.messages(e))
                        .contains("partition 0, row 5: 402 tokens, more than the 256 the model takes (long-input policy error)"));
        // Truncated by default: the same rows encode.
        assertThat(embedder.setLongInputs(LongInputs.TRUNCATE).transform(data).count()).isEqualTo(7);
    }

    @Test
    void settingsThatCannotWorkFailOnTheDriverNamingTheProblem() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("body", DataTypes.StringType)
                .add("embedding", DataTypes.StringType);
        assertThatThrownBy(() -> new SentenceEmbedder().transformSchema(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input column 'text' is not in the data; its columns are id, body, embedding");
        assertThatThrownBy(() -> new SentenceEmbedder().setInputCol("id").transformSchema(schema))
                .hasMessage("input column 'id' holds int, not text (string)");
        assertThatThrownBy(() -> new SentenceEmbedder().setInputCol("body").transformSchema(schema))
                .hasMessage("output column 'embedding' is already in the data; choose another name");
        assertThatThrownBy(() -> new SentenceEmbedder().setOutputType("vector").setPrecision(Precision.BINARY).settings())
                .hasMessageContaining("an ML Vector holds float32 vectors, not binary");
        assertThatThrownBy(() -> new SentenceEmbedder().setPrecision(Precision.INT8).settings())
                .hasMessageStartingWith("int8 needs calibration vectors");
        assertThatThrownBy(() -> new SentenceEmbedder().setCalibration("missing.npy").setPrecision(Precision.UINT8).settings())
                .hasMessageStartingWith("cannot read calibration vectors from missing.npy");
        assertThatThrownBy(() -> new SentenceEmbedder().setPrompt("a: ").setPromptName("query").settings())
                .hasMessage("set a prompt or a prompt name, not both");
        assertThatThrownBy(() -> new SentenceEmbedder().setOutputType("matrix"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputType");
        assertThat(Arrays.asList(new SentenceEmbedder().setInputCol("body").setOutputCol("v").transformSchema(schema)
                .fieldNames())).containsExactly("id", "body", "embedding", "v");
    }
}
