package dev.sentence4j.index;

import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The distinct sentences of the STSb dev split in ../shared, in order of appearance. */
final class StsbSentences {
    private StsbSentences() {}

    static List<String> read() throws IOException {
        Path root = Path.of(System.getProperty("sentence4j.shared", "../shared"));
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the shared folder " + root.toAbsolutePath()
                    + " is missing; tests read reference data from it (set -Dsentence4j.shared)");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (StsPair pair : StsCsv.read(root.resolve("data/stsb-en-dev.csv"))) {
            distinct.add(pair.sentence1());
            distinct.add(pair.sentence2());
        }
        return new ArrayList<>(distinct);
    }
}
