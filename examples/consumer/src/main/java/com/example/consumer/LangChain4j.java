package com.example.consumer;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.sentence4j.langchain4j.Sentence4jEmbeddingModel;
import dev.sentence4j.langchain4j.Sentence4jScoringModel;
import java.util.List;

/** README, "LangChain4j". */
public final class LangChain4j {
    /** A vector and the tokens it took. */
    public record Embedded(float[] vector, int tokens) {}

    /** Scores and the tokens they took. */
    public record Scored(List<Double> scores, int tokens) {}

    private LangChain4j() {}

    public static Embedded embed() {
        // tag::langchain4j-embed[]
        try (Sentence4jEmbeddingModel model = Sentence4jEmbeddingModel.builder()
                .model("sentence-transformers/all-MiniLM-L6-v2").build()) {
            Response<List<Embedding>> response = model.embedAll(List.of(TextSegment.from("A man is playing a guitar.")));
            float[] vector = response.content().get(0).vector();
            int tokens = response.tokenUsage().inputTokenCount();   // 9: [CLS] a man is playing a guitar . [SEP]
            return new Embedded(vector, tokens); // hidden
        }
        // end::langchain4j-embed[]
    }

    public static Scored score(String query, String doc1, String doc2) {
        // tag::langchain4j-score[]
        try (Sentence4jScoringModel reranker = Sentence4jScoringModel.builder().model("cross-encoder/ms-marco-MiniLM-L6-v2").build()) {
            Response<List<Double>> response = reranker.scoreAll(List.of(TextSegment.from(doc1), TextSegment.from(doc2)), query);
            List<Double> scores = response.content();                   // in the segments' order
            int tokens = response.tokenUsage().inputTokenCount();
            return new Scored(scores, tokens); // hidden
        }
        // end::langchain4j-score[]
    }
}
