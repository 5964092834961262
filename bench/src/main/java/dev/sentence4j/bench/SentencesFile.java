package dev.sentence4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the first N {@link RecombinedSentences} (made from the STSb dev split, as the index benchmark
 * makes them), one per line, for benchmarks that read a text file: {@code bench/spark-encode.sh}.
 *
 * <p>{@code java -cp "bench/target/classes:bench/target/lib/*" dev.sentence4j.bench.SentencesFile N FILE}
 */
public final class SentencesFile {
    private SentencesFile() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SentencesFile COUNT FILE");
            System.exit(2);
        }
        List<String> sentences = RecombinedSentences.make(BenchTexts.distinct(), Integer.parseInt(args[0]));
        Files.write(Path.of(args[1]), sentences, StandardCharsets.UTF_8);
    }
}
