package dev.sentence4j.search;

import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The distinct sentences of the STSb dev split and their all-MiniLM-L6-v2 vectors, encoded once per test run. */
final class StsbVectors {
    private static List<String> sentences;
    private static float[][] vectors;

    private StsbVectors() {}

    static synchronized List<String> sentences() {
        if (sentences == null) {
            try {
                Set<String> distinct = new LinkedHashSet<>();
                for (StsPair pair : StsCsv.read(Shared.path("data/stsb-en-dev.csv"))) {
                    distinct.add(pair.sentence1());
                    distinct.add(pair.sentence2());
                }
                sentences = List.copyOf(new ArrayList<>(distinct));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sentences;
    }

    static synchronized float[][] vectors() {
        if (vectors == null) {
            vectors = TestModels.get(Shared.MINILM).encode(sentences());
        }
        return vectors;
    }
}
