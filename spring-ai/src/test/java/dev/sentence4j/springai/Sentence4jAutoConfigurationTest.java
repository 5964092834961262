package dev.sentence4j.springai;

import static dev.sentence4j.springai.Sentence4jEmbeddingModelTest.assertClose;
import static dev.sentence4j.springai.Sentence4jEmbeddingModelTest.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot contexts started with properties alone, as an application's would be. */
class Sentence4jAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Sentence4jAutoConfiguration.class));

    @Test
    void propertiesAloneGiveAWorkingEmbeddingModelClosedWithTheContext() throws IOException {
        List<String> texts = Shared.referenceTexts("seed-sentences");
        AtomicReference<SentenceTransformer> loaded = new AtomicReference<>();

        runner.withPropertyValues("sentence4j.model=" + Shared.MINILM, "sentence4j.batch-size=4", "sentence4j.threads=1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EmbeddingModel.class).hasSingleBean(SentenceTransformer.class);
                    EmbeddingModel model = context.getBean(EmbeddingModel.class);
                    assertThat(model).isInstanceOf(Sentence4jEmbeddingModel.class);
                    assertClose(model.embed(texts).toArray(float[][]::new), reference("seed-sentences"));
                    assertThat(model.dimensions()).isEqualTo(384);
                    loaded.set(context.getBean(SentenceTransformer.class));
                });

        assertThatThrownBy(() -> loaded.get().encode("after the context closed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** batch-size and threads reach the model's builder and load options: values they refuse fail the context, named. */
    @Test
    void batchSizeAndThreadsPropertiesReachTheModel() {
        runner.withPropertyValues("sentence4j.model=" + Shared.MINILM, "sentence4j.batch-size=0").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("batch size must be at least 1, got 0"));
        runner.withPropertyValues("sentence4j.model=" + Shared.MINILM, "sentence4j.threads=-2").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("threads must be positive")
                        .hasMessageContaining("got -2"));
    }

    /** The application's own EmbeddingModel wins; here one on the auto-configured model, cut to 128 dimensions. */
    @Test
    void anApplicationsEmbeddingModelReplacesOurs() {
        runner.withUserConfiguration(OwnEmbeddingModel.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EmbeddingModel.class).hasBean("ownEmbeddingModel");
            assertThat(context.getBean(EmbeddingModel.class).embed("Someone plays guitar.")).hasSize(128);
        });
    }

    @Test
    void anotherProviderChosenLeavesSentence4jOut() {
        runner.withPropertyValues("spring.ai.model.embedding=openai").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddingModel.class).doesNotHaveBean(SentenceTransformer.class));
    }

    @Test
    void aModelThatCannotLoadStopsTheContextNamingIt() {
        runner.withPropertyValues("sentence4j.model=/no/such/model").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("/no/such/model"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEmbeddingModel {
        @Bean
        EmbeddingModel ownEmbeddingModel(SentenceTransformer model) {
            return Sentence4jEmbeddingModel.builder(model).dimensions(128).build();
        }
    }
}
