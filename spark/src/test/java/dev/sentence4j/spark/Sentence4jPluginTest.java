package dev.sentence4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.SentenceTransformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops Spark, which the other test classes leave running: models are closed when Spark stops, each
 * once, though in local mode the driver and its executor both stop in this JVM.
 */
class Sentence4jPluginTest {
    private static final StructType ID_TEXT = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true);
    /** Model threads no other test class asks for, so that this class's models are its own loads. */
    private static final int THREADS = 3;

    private static List<String> sentences;
    private static float[][] reference;

    @TempDir
    Path folder;

    @BeforeAll
    static void readReference() {
        sentences = Reference.sentences();
        reference = Reference.vectors();
    }

    /** The first eight reference sentences with their ids, in two partitions. */
    private static Dataset<Row> sample() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rows.add(RowFactory.create(i, sentences.get(i)));
        }
        return LocalSpark.rows(rows, ID_TEXT, 2);
    }

    private static SentenceEmbedder embedder(int threads) {
        return new SentenceEmbedder().setModel(Reference.MODEL).setThreads(threads);
    }

    @Test
    void stoppingSparkClosesEveryModelOnceAndTheNextSessionLoadsItAgain() {
        SparkSession first = LocalSpark.session();
        assertThat(embedder(THREADS).transform(sample()).filter("embedding IS NOT NULL").count()).isEqualTo(8);
        assertThat(embedder(THREADS + 1).transform(sample()).filter("embedding IS NOT NULL").count()).isEqualTo(8);
        int loads = ExecutorModels.loads();
        SentenceTransformer used = ExecutorModels.get(new ModelSpec(Reference.MODEL, null, null, false, THREADS));
        assertThat(ExecutorModels.loads()).as("the model the tasks loaded").isEqualTo(loads);
        int held = ExecutorModels.held();
        int closes = ExecutorModels.closes();
        assertThat(held).as("models open, this test's two among them").isGreaterThanOrEqualTo(2);

        first.stop();

        assertThat(ExecutorModels.held()).as("models open after Spark stopped").isZero();
        assertThat(ExecutorModels.closes() - closes).as("models closed, by the driver and the executor together")
                .isEqualTo(held);
        assertThatThrownBy(() -> used.encode("after the stop"))
                .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("is closed");

        List<Row> rows = embedder(THREADS).transform(sample()).collectAsList();

        assertThat(ExecutorModels.loads() - loads).as("loads by a job of the next session").isEqualTo(1);
        assertThat(rows).hasSize(8);
        for (Row row : rows) {
            List<Float> values = row.getList(2);
            float[] expected = reference[row.getInt(0)];
            assertThat(values).hasSize(expected.length);
            for (int d = 0; d < expected.length; d++) {
                assertThat((double) values.get(d)).as("row %d, dimension %d", row.getInt(0), d)
                        .isCloseTo(expected[d], within(Reference.TOLERANCE));
            }
        }
    }

    @Test
    void encodeJobRegistersThePluginAfterTheUsersOwnAndClosesItsModel() throws IOException {
        // EncodeJob starts its own Spark only when none runs, as under spark-submit.
        LocalSpark.stop();
        Path input = folder.resolve("five.txt");
        Files.write(input, sentences.subList(0, 5), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        int loads = ExecutorModels.loads();
        int closes = ExecutorModels.closes();
        String given = System.getProperty("spark.plugins");
        // How spark-submit hands a --conf to the driver.
        System.setProperty("spark.plugins", UserPlugin.class.getName());
        int status;
        try {
            status = EncodeJob.run(new String[] {"--input", input.toString(), "--output", folder.resolve("out").toString(),
                "--master", "local[2]", "--threads", String.valueOf(THREADS)}, null, new PrintWriter(err, true));
        } finally {
            if (given == null) {
                System.clearProperty("spark.plugins");
            } else {
                System.setProperty("spark.plugins", given);
            }
        }

        assertThat(status).as(err.toString()).isZero();
        assertThat(err.toString()).contains("sentence4j: wrote 5 rows");
        assertThat(UserPlugin.plugins).isEqualTo(UserPlugin.class.getName() + "," + Sentence4jPlugin.class.getName());
        assertThat(UserPlugin.executorsStarted).as("the user's plugin ran on the executor").isEqualTo(1);
        assertThat(ExecutorModels.loads() - loads).as("loads by the job").isEqualTo(1);
        assertThat(ExecutorModels.closes() - closes).as("closes when the job stopped its Spark").isEqualTo(1);
        assertThat(ExecutorModels.held()).isZero();
    }

    @Test
    void theSparkPluginsValueKeepsTheNamesItHas() {
        String ours = Sentence4jPlugin.class.getName();

        assertThat(Sentence4jPlugin.addTo(null)).isEqualTo(ours);
        assertThat(Sentence4jPlugin.addTo(" ")).isEqualTo(ours);
        assertThat(Sentence4jPlugin.addTo("com.example.A,com.example.B")).isEqualTo("com.example.A,com.example.B," + ours);
        assertThat(Sentence4jPlugin.addTo("com.example.A, " + ours)).isEqualTo("com.example.A, " + ours);
    }

    /** A plugin of the user's own, which records what Spark gave it. */
    public static final class UserPlugin implements SparkPlugin {
        static volatile String plugins;
        static volatile int executorsStarted;

        @Override
        public DriverPlugin driverPlugin() {
            return new DriverPlugin() {
                @Override
                public Map<String, String> init(SparkContext context, PluginContext plugin) {
                    plugins = context.conf().get("spark.plugins");
                    return Map.of();
                }
            };
        }

        @Override
        public ExecutorPlugin executorPlugin() {
            return new ExecutorPlugin() {
                @Override
                public void init(PluginContext plugin, Map<String, String> extraConf) {
                    executorsStarted++;
                }
            };
        }
    }
}
