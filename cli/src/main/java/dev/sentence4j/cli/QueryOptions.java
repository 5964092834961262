package dev.sentence4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The queries of a search and how many results each gets, shared by {@code search} and {@code index query}. */
final class QueryOptions {
    @Option(names = "--query", paramLabel = "TEXT", description = "A query; repeat the option for several.")
    List<String> queries = new ArrayList<>();

    @Option(names = "--queries", paramLabel = "FILE",
            description = "Read the queries from this file: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path queryFile;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "10",
            description = "Results per query. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "How to print the results: ${COMPLETION-CANDIDATES} (a JSON array, one object per query). "
                    + "Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The queries, from the arguments or the file, once the options are checked.
     *
     * @throws ParameterException unless exactly one of --query and --queries is given, or if --top-k is below 1
     */
    List<String> read(InputOptions input) {
        if (topK < 1) {
            throw new ParameterException(command.commandLine(), "--top-k must be at least 1, got " + topK);
        }
        if (queries.isEmpty() == (queryFile == null)) {
            throw new ParameterException(command.commandLine(), "give the queries with --query or --queries, "
                    + (queries.isEmpty() ? "one of them" : "not both"));
        }
        if (queryFile == null) {
            return queries;
        }
        List<String> fromFile = input.readTexts(queryFile);
        if (fromFile.isEmpty()) {
            throw new CliException(queryFile + " holds no queries");
        }
        return fromFile;
    }
}
