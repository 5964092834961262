package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.index.IndexException;
import dev.sentence4j.index.IndexHit;
import dev.sentence4j.index.IndexInfo;
import dev.sentence4j.index.VectorIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentence4j index query}: the indexed texts most similar to each query. */
@Command(name = "query", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Searches a vector index folder.",
        description = {
            "Encodes each query with the model the index was built with and prints the indexed texts most similar "
                    + "to it, most similar first, with their line numbers in the corpus file.",
            "--model may be left out: the index knows its model. Naming another model is an error."
        })
final class IndexQueryCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder.")
    Path index;

    @Mixin
    QueryOptions queryOptions;

    @Mixin
    InputOptions inputOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        List<String> queries = queryOptions.read(inputOptions);
        List<List<Match>> matches = new ArrayList<>();
        try {
            IndexInfo info = VectorIndex.readInfo(index);
            try (SentenceTransformer model = modelOptions.loadOr(info.model(), info.onnxFile());
                    VectorIndex opened = VectorIndex.open(index, model)) {
                float[][] vectors = InChunks.encode(queries, spec.commandLine().getErr(), model::encodeQuery);
                for (float[] vector : vectors) {
                    List<Match> found = new ArrayList<>();
                    for (IndexHit hit : opened.search(vector, queryOptions.topK)) {
                        found.add(new Match(hit.line(), hit.text(), hit.score()));
                    }
                    matches.add(found);
                }
            }
        } catch (IndexException e) {
            throw new CliException(e.getMessage(), e);
        }
        QueryResults.print(spec.commandLine().getOut(), queryOptions.format, queries, matches);
        return 0;
    }
}
