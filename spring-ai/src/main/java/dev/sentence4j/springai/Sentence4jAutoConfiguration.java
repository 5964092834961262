package dev.sentence4j.springai;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration: a {@link SentenceTransformer} loaded as the {@code sentence4j.*}
 * properties say and closed with the context, and a Spring AI {@link EmbeddingModel} on it. Either
 * bean, defined by the application, replaces this one. Off when {@code spring.ai.model.embedding}
 * names another provider.
 */
@AutoConfiguration
@ConditionalOnClass(EmbeddingModel.class)
@ConditionalOnProperty(name = SpringAIModelProperties.EMBEDDING_MODEL, havingValue = Sentence4jEmbeddingModel.PROVIDER,
        matchIfMissing = true)
@EnableConfigurationProperties(Sentence4jProperties.class)
public class Sentence4jAutoConfiguration {

    /** The model, loaded once at start-up. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SentenceTransformer sentenceTransformer(Sentence4jProperties properties) {
        LoadOptions options = LoadOptions.defaults()
                .withRevision(properties.revision())
                .withQuantized(properties.quantized())
                .withOnnxFile(properties.onnxFile())
                .withThreads(properties.threads());
        return SentenceTransformer.load(properties.model(), options);
    }

    /** Spring AI's embedding model on that model. */
    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    public Sentence4jEmbeddingModel sentence4jEmbeddingModel(SentenceTransformer model, Sentence4jProperties properties,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<EmbeddingModelObservationConvention> observationConvention) {
        Sentence4jEmbeddingModel.Builder builder = Sentence4jEmbeddingModel.builder(model)
                .batchSize(properties.batchSize())
                .normalize(properties.normalize())
                .promptName(properties.promptName())
                .dimensions(properties.dimensions())
                .metadataMode(properties.metadataMode())
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
        observationConvention.ifAvailable(builder::observationConvention);
        return builder.build();
    }
}
