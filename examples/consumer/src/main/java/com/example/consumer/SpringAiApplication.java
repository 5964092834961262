package com.example.consumer;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * README, "Spring AI": a Spring Boot application whose only configuration is {@code sentence4j.model}
 * (in application.properties).
 */
@SpringBootApplication
public class SpringAiApplication {
    /** A bean of the application that has the EmbeddingModel injected. */
    @Component
    public static class Embedder {
        // tag::spring-ai[]
        @Autowired EmbeddingModel embeddingModel;                       // a Sentence4jEmbeddingModel
        public float[] embed() { // hidden
            float[] vector = embeddingModel.embed("A man is playing a guitar.");
            return vector; // hidden
        } // hidden
        // end::spring-ai[]
    }
}
