package dev.sentence4j.bench;

import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sentences every benchmark encodes: the distinct sentences of the STS benchmark dev split, read
 * from {@code $SENTENCE4J_BENCH_TEXTS} (default {@code ../shared/data/stsb-en-dev.csv}).
 */
final class BenchTexts {
    /** Sentences per benchmark operation; the first this many distinct STSb dev sentences. */
    static final int SENTENCES = 1000;
    /** Paragraphs per long-text operation. */
    static final int PARAGRAPHS = 40;

    private BenchTexts() {}

    static List<String> sentences() {
        List<String> all = distinct();
        if (all.size() < SENTENCES) {
            throw new IllegalStateException("the benchmark needs " + SENTENCES + " sentences, the file has " + all.size());
        }
        return List.copyOf(all.subList(0, SENTENCES));
    }

    /** Paragraphs of consecutive distinct sentences, each over 1,000 characters (200+ tokens). */
    static List<String> paragraphs() {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String sentence : distinct()) {
            paragraph.append(paragraph.length() == 0 ? "" : " ").append(sentence);
            if (paragraph.length() > 1000) {
                paragraphs.add(paragraph.toString());
                paragraph.setLength(0);
                if (paragraphs.size() == PARAGRAPHS) {
                    return paragraphs;
                }
            }
        }
        throw new IllegalStateException("not enough sentences for " + PARAGRAPHS + " paragraphs");
    }

    /** The STS file the sentences come from. */
    static Path file() {
        return Path.of(System.getenv().getOrDefault("SENTENCE4J_BENCH_TEXTS", "../shared/data/stsb-en-dev.csv"));
    }

    /** Every distinct sentence of the file, in order of appearance. */
    static List<String> distinct() {
        try {
            Set<String> distinct = new LinkedHashSet<>();
            for (StsPair pair : StsCsv.read(file())) {
                distinct.add(pair.sentence1());
                distinct.add(pair.sentence2());
            }
            return new ArrayList<>(distinct);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark sentences (set SENTENCE4J_BENCH_TEXTS): " + e.getMessage(), e);
        }
    }
}
