package dev.sentence4j.cli;

import dev.sentence4j.SentenceTransformer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentence4j similarity}: the first text against each of the others, most similar first. */
@Command(name = "similarity", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Ranks texts by how similar they are to the first one.",
        description = {
            "Compares the first text (the query) with each of the others by the model's similarity function "
                    + "and prints the scores, most similar first.",
            "The texts come from the arguments, or from a UTF-8 file with one text per line."
        })
final class SimilarityCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Read the texts from this file: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path input;

    @Mixin
    InputOptions inputOptions;

    @Parameters(paramLabel = "TEXT", description = "The query, then the texts to compare it with.")
    List<String> arguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private record Match(String text, float score) {}

    @Override
    public Integer call() {
        List<String> texts = texts();
        List<Match> matches = new ArrayList<>();
        long characters = texts.stream().mapToLong(String::length).sum();
        try (SentenceTransformer model = modelOptions.loadFor(characters, SentenceTransformer::load)) {
            float[][] vectors = model.encode(texts);
            float[] scores = model.similarity(new float[][] {vectors[0]},
                    Arrays.copyOfRange(vectors, 1, vectors.length))[0];
            for (int i = 0; i < scores.length; i++) {
                matches.add(new Match(texts.get(i + 1), scores[i]));
            }
        }
        // A stable sort: equal scores keep the order the texts were given in.
        matches.sort(Comparator.comparingDouble(Match::score).reversed());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Query: " + texts.get(0));
        for (Match match : matches) {
            out.println(String.format(Locale.ROOT, "%.4f  %s", match.score(), match.text()));
        }
        out.flush();
        return 0;
    }

    private List<String> texts() {
        if (input != null && !arguments.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give the texts as arguments or with --input, not both");
        }
        if (input == null) {
            if (arguments.size() < 2) {
                throw new ParameterException(spec.commandLine(),
                        "need at least 2 texts (a query and one to compare it with), got " + arguments.size());
            }
            return arguments;
        }
        List<String> texts = inputOptions.readTexts(input);
        if (texts.size() < 2) {
            throw new CliException(input + " holds " + texts.size() + " text(s); similarity needs at least 2, "
                    + "a query and one to compare it with");
        }
        return texts;
    }
}
