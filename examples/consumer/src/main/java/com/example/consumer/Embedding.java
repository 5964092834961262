package com.example.consumer;

import dev.sentence4j.SentenceTransformer;
import java.util.List;

/** README, "In Java": the first thing a user runs. */
public final class Embedding {
    private Embedding() {}

    /** The similarity matrix of two sentences. */
    public static float[][] scores() {
        // tag::embedding[]
        try (SentenceTransformer model = SentenceTransformer.load("sentence-transformers/all-MiniLM-L6-v2")) {
            float[][] vectors = model.encode(List.of("A man is playing a guitar.", "Someone plays guitar."));
            float[][] scores  = model.similarity(vectors, vectors);   // the model's similarity function (cosine by default)
            return scores; // hidden
        }
        // end::embedding[]
    }
}
