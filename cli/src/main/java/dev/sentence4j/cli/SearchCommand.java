package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.search.Hit;
import dev.sentence4j.search.SemanticSearch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentence4j search}: the corpus texts most similar to each query, found exactly. */
@Command(name = "search", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Finds the texts of a corpus most similar to each query.",
        description = {
            "Encodes the corpus and the queries, scores every corpus text against each query by the model's "
                    + "similarity function and prints the best, most similar first (equal scores by earlier line).",
            "The search is exact and encodes the corpus at every run; for a large corpus searched often, build an "
                    + "index once with 'sentence4j index build'."
        })
final class SearchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--corpus", required = true, paramLabel = "FILE",
            description = "The texts to search: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path corpus;

    @Mixin
    QueryOptions queryOptions;

    @Mixin
    InputOptions inputOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        // Both files are read, and fail, before the slow model load.
        List<String> queries = queryOptions.read(inputOptions);
        List<InputText> texts = inputOptions.read(corpus);
        if (texts.isEmpty()) {
            throw new CliException(corpus + " holds no texts to search");
        }
        List<List<Hit>> hits;
        try (SentenceTransformer model = modelOptions.load()) {
            PrintWriter err = spec.commandLine().getErr();
            float[][] corpusVectors = InChunks.encode(texts.stream().map(InputText::text).toList(), err,
                    model::encodeDocument);
            float[][] queryVectors = InChunks.encode(queries, err, model::encodeQuery);
            hits = SemanticSearch.search(queryVectors, corpusVectors, queryOptions.topK, model.similarityFunction());
        }
        List<List<Match>> matches = hits.stream().map(found -> found.stream().map(hit -> {
            InputText text = texts.get(hit.corpusIndex());
            return new Match(text.line(), text.text(), hit.score());
        }).toList()).toList();
        QueryResults.print(spec.commandLine().getOut(), queryOptions.format, queries, matches);
        return 0;
    }
}
