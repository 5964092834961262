package dev.sentence4j.springai;

import static dev.sentence4j.springai.Sentence4jEmbeddingModelTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.HubCaches;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.ModelFolders;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.VectorAssertions;
import dev.sentence4j.io.Npy;
import dev.sentence4j.layer.Normalize;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each {@code sentence4j.*} property judged by what it changes, in contexts the auto-configuration starts.
 * The load properties (revision, quantized, onnx-file, threads, with batch-size) load the real all-MiniLM-L6-v2 from an offline
 * Hugging Face cache as a Hub repository: {@code main} with its int8 export beside the float32 one, the
 * tag {@code v1} without the Normalize module. The encoding properties run on one model loaded for the
 * class, given as the application's own {@link SentenceTransformer} bean: a copy of all-MiniLM-L6-v2 with
 * a {@code query} prompt. Expected vectors come from the reference of ../shared.
 */
class Sentence4jPropertiesTest {
    private static final String REPO = "test-org/spring-ai-minilm";

    @TempDir
    static Path temp;

    private static List<String> texts;
    private static float[][] reference;
    private static SentenceTransformer prompted;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Sentence4jAutoConfiguration.class));

    @BeforeAll
    static void models() throws IOException {
        texts = Shared.referenceTexts("seed-sentences");
        reference = Npy.read(Shared.path("reference/seed-sentences." + Shared.shortName(Shared.MINILM) + ".npy"));
        Path cache = HubCaches.environmentCache();
        HubCaches.clear(cache, REPO);
        Path main = ModelFolders.miniLm(temp, "main");
        HubCaches.addResource(main, "all-minilm-l6-v2-q.onnx", "onnx/model_quantized.onnx");
        HubCaches.put(cache, REPO, main, "main");
        Path v1 = ModelFolders.miniLm(temp, "v1");
        Files.writeString(v1.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
        HubCaches.put(cache, REPO, v1, "v1");

        Path withPrompt = ModelFolders.miniLm(temp, "prompted");
        Files.writeString(withPrompt.resolve("config_sentence_transformers.json"), "{\"prompts\": {\"query\": \"query: \"}}");
        prompted = SentenceTransformer.load(withPrompt.toString(), LoadOptions.defaults().withCacheDirectory(null));
    }

    @AfterAll
    static void close() {
        prompted.close();
    }

    @Test
    void revisionLoadsThatBranchOrTag() {
        runner.withPropertyValues("sentence4j.model=" + REPO).run(context ->
                assertClose(embed(context.getBean(EmbeddingModel.class)), reference));
        runner.withPropertyValues("sentence4j.model=" + REPO, "sentence4j.revision=v1").run(context -> {
            float[][] vectors = embed(context.getBean(EmbeddingModel.class));
            // v1 has no Normalize module: the same directions, not unit length.
            assertThat(Normalize.norm(vectors[0])).isGreaterThan(1.5);
            assertClose(Normalize.l2(vectors), reference);
        });
    }

    @Test
    void quantizedRunsTheInt8Export() {
        runner.withPropertyValues("sentence4j.model=" + REPO, "sentence4j.quantized=true").run(context -> {
            assertThat(context.getBean(SentenceTransformer.class).onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            // Measured: cosines 0.990 at worst, 0.992 on average.
            VectorAssertions.assertInt8Ran(embed(context.getBean(EmbeddingModel.class)), reference, 0.985, 0.988);
        });
    }

    @Test
    void onnxFileRunsTheFileNamed() {
        runner.withPropertyValues("sentence4j.model=" + REPO, "sentence4j.onnx-file=onnx/model_quantized.onnx").run(context -> {
            assertThat(context.getBean(SentenceTransformer.class).onnxFile()).isEqualTo("onnx/model_quantized.onnx");
            VectorAssertions.assertInt8Ran(embed(context.getBean(EmbeddingModel.class)), reference, 0.985, 0.988);
        });
    }

    /** The model's pool makes a thread per batch until it has as many as {@code threads}; the texts make more batches. */
    @Test
    void threadsSizeTheModelsWorkers() {
        Set<String> before = workerThreads();
        runner.withPropertyValues("sentence4j.model=" + Shared.MINILM, "sentence4j.threads=3").run(context -> {
            assertClose(embed(context.getBean(EmbeddingModel.class)), reference);
            Set<String> started = workerThreads();
            started.removeAll(before);
            assertThat(started).as("worker threads started").hasSize(3);
        });
    }

    /**
     * The int8 export quantizes its activations with one scale per batch, so a text's vector depends on the
     * texts batched with it: in batches of one, each is the vector of the text encoded alone; in one batch
     * of all seven (one thread, the default 32), some are not.
     */
    @Test
    void batchSizeCutsTheBatches() {
        String[] int8 = {"sentence4j.model=" + REPO, "sentence4j.quantized=true", "sentence4j.threads=1"};
        runner.withPropertyValues(int8).withPropertyValues("sentence4j.batch-size=1").run(context -> {
            SentenceTransformer model = context.getBean(SentenceTransformer.class);
            float[][] alone = texts.stream().map(model::encode).toArray(float[][]::new);
            VectorAssertions.assertClose(embed(context.getBean(EmbeddingModel.class)), alone, 0);
        });
        runner.withPropertyValues(int8).run(context -> {
            SentenceTransformer model = context.getBean(SentenceTransformer.class);
            float[][] together = embed(context.getBean(EmbeddingModel.class));
            double largest = 0;
            for (int i = 0; i < texts.size(); i++) {
                largest = Math.max(largest, VectorAssertions.maxAbsDiff(together[i], model.encode(texts.get(i))));
            }
            assertThat(largest).as("largest difference of one batch from texts alone").isGreaterThan(1e-4);
        });
    }

    /** Off on a model that normalizes, on for one that does not (v1). */
    @Test
    void normalizeForcesUnitLengthOffOrOn() {
        onPrompted().withPropertyValues("sentence4j.normalize=false").run(context -> {
            float[][] vectors = embed(context.getBean(EmbeddingModel.class));
            assertThat(Normalize.norm(vectors[0])).isGreaterThan(1.5);
            assertClose(Normalize.l2(vectors), reference);
        });
        runner.withPropertyValues("sentence4j.model=" + REPO, "sentence4j.revision=v1", "sentence4j.normalize=true").run(context ->
                assertClose(embed(context.getBean(EmbeddingModel.class)), reference));
    }

    /** The model's prompt named: every text encodes as the prompt and the text written out together. */
    @Test
    void promptNamePutsThatPromptBeforeEveryText() {
        onPrompted().withPropertyValues("sentence4j.prompt-name=query").run(context ->
                assertClose(embed(context.getBean(EmbeddingModel.class)),
                        prompted.encode(texts.stream().map(t -> "query: " + t).toList())));
        onPrompted().run(context -> assertClose(embed(context.getBean(EmbeddingModel.class)), reference));
    }

    @Test
    void dimensionsKeepTheFirstValuesMadeUnitLengthAgain() {
        float[][] expected = Arrays.stream(reference).map(v -> Normalize.l2(Arrays.copyOf(v, 128))).toArray(float[][]::new);

        onPrompted().withPropertyValues("sentence4j.dimensions=128").run(context -> {
            EmbeddingModel model = context.getBean(EmbeddingModel.class);
            assertThat(model.dimensions()).isEqualTo(128);
            VectorAssertions.assertClose(embed(model), expected, 3e-5);
        });
    }

    @Test
    void metadataModeEmbedsADocumentsMetadataWithItsText() {
        Document document = new Document("A man is playing a guitar.", Map.of("source", "stsb"));
        float[] withMetadata = prompted.encode("source: stsb\n\nA man is playing a guitar.");
        float[] textAlone = prompted.encode("A man is playing a guitar.");

        onPrompted().withPropertyValues("sentence4j.metadata-mode=all").run(context ->
                VectorAssertions.assertClose(context.getBean(EmbeddingModel.class).embed(document), withMetadata, 1e-5));
        onPrompted().run(context ->
                VectorAssertions.assertClose(context.getBean(EmbeddingModel.class).embed(document), textAlone, 1e-5));
        assertThat(VectorAssertions.maxAbsDiff(withMetadata, textAlone)).isGreaterThan(1e-2);
    }

    /** The application's model is the one embedded with; the property's model, which cannot load, is never loaded. */
    @Test
    void anApplicationsSentenceTransformerReplacesTheDefault() {
        runner.withUserConfiguration(OwnModel.class).withPropertyValues("sentence4j.model=/no/such/model").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SentenceTransformer.class).hasBean("ownModel");
            float[][] vectors = embed(context.getBean(EmbeddingModel.class));
            assertThat(Normalize.norm(vectors[0])).as("v1, the application's model, does not normalize").isGreaterThan(1.5);
            assertClose(Normalize.l2(vectors), reference);
        });
    }

    /** The application's ObservationRegistry sees each call, named by its convention when it has one. */
    @Test
    void callsAreObservedInTheApplicationsRegistry() {
        onPrompted().withUserConfiguration(Observed.class).run(context -> {
            context.getBean(EmbeddingModel.class).embed(List.of("one text", "and another"));

            List<Observation.Context> seen = context.getBean(Observed.class).stopped;
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).getName()).isEqualTo(DefaultEmbeddingModelObservationConvention.DEFAULT_NAME);
            assertThat(seen.get(0).getLowCardinalityKeyValue("gen_ai.system")).extracting(KeyValue::getValue).isEqualTo("sentence4j");
            assertThat(seen.get(0).getHighCardinalityKeyValue("gen_ai.usage.input_tokens")).extracting(KeyValue::getValue)
                    .isEqualTo("8");
        });
        onPrompted().withUserConfiguration(Observed.class, OwnConvention.class).run(context -> {
            context.getBean(EmbeddingModel.class).embed("one text");

            assertThat(context.getBean(Observed.class).stopped).extracting(Observation.Context::getName)
                    .containsExactly("application.embeddings");
        });
    }

    private ApplicationContextRunner onPrompted() {
        return runner.withUserConfiguration(PromptedModel.class);
    }

    /** The names of the models' worker threads now running (a closed model's pool has stopped its own). */
    private static Set<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.matches("sentence4j-\\d+-worker-\\d+")).collect(Collectors.toSet());
    }

    private static float[][] embed(EmbeddingModel model) {
        return model.embed(texts).toArray(float[][]::new);
    }

    /** The class's model as the application's bean, left open for the other tests. */
    @Configuration(proxyBeanMethods = false)
    static class PromptedModel {
        @Bean(destroyMethod = "")
        SentenceTransformer sentenceTransformer() {
            return prompted;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnModel {
        @Bean
        SentenceTransformer ownModel() {
            return SentenceTransformer.load(REPO, LoadOptions.defaults().withRevision("v1"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Observed {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConvention {
        @Bean
        EmbeddingModelObservationConvention observationConvention() {
            return new DefaultEmbeddingModelObservationConvention() {
                @Override
                public String getName() {
                    return "application.embeddings";
                }
            };
        }
    }
}
