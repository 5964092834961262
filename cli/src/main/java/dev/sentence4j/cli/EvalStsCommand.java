package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.evaluation.StsCsv;
import dev.sentence4j.evaluation.StsEvaluation;
import dev.sentence4j.evaluation.StsPair;
import dev.sentence4j.evaluation.StsResult;
import dev.sentence4j.evaluation.StsScore;
import dev.sentence4j.similarity.SimilarityFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentence4j eval sts}: correlation of a model's similarity scores with human STS judgements. */
@Command(name = "sts", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Evaluates a model on a semantic textual similarity benchmark.",
        description = {
            "Reads sentence1,sentence2,score rows from a UTF-8 CSV file (fields may be quoted; a first row whose "
                    + "score is not a number is a header), encodes the sentences and prints the Pearson and Spearman "
                    + "correlations of the cosine, dot, euclidean and manhattan scores with the gold scores, as "
                    + "sentence-transformers' EmbeddingSimilarityEvaluator."
        })
final class EvalStsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions;

    @Parameters(paramLabel = "FILE.csv", description = "The benchmark: sentence1,sentence2,score rows.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        List<StsPair> pairs = readPairs();
        StsResult result;
        try (SentenceTransformer model = modelOptions.load()) {
            PrintWriter err = spec.commandLine().getErr();
            result = StsEvaluation.evaluate(texts -> InChunks.encode(texts, err, model::encode), pairs);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode report = JSON.createObjectNode()
                    .put("model", modelOptions.model)
                    .put("file", file.toString())
                    .put("pairs", result.pairs());
            ObjectNode scores = report.putObject("scores");
            result.scores().forEach((function, score) -> scores.putObject(function.label())
                    .put("pearson", score.pearson()).put("spearman", score.spearman()));
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.println("model: " + modelOptions.model);
            out.println("file: " + file + " (" + result.pairs() + " pairs)");
            out.println(String.format(Locale.ROOT, "%-10s  %-9s  %-9s", "similarity", "pearson", "spearman"));
            for (SimilarityFunction function : SimilarityFunction.values()) {
                StsScore score = result.score(function);
                out.println(String.format(Locale.ROOT, "%-10s  %.7f  %.7f", function.label(), score.pearson(),
                        score.spearman()));
            }
        }
        out.flush();
        return 0;
    }

    private List<StsPair> readPairs() {
        List<StsPair> pairs;
        try {
            pairs = StsCsv.read(file);
        } catch (FileSystemException e) {
            throw CliException.io("read", file, e);
        } catch (IOException e) {
            // StsCsv's own failures already name the file and line.
            throw new CliException(e.getMessage(), e);
        }
        if (pairs.size() < 2) {
            throw new CliException(file + " holds " + pairs.size() + " pair(s); correlations need at least 2");
        }
        return pairs;
    }
}
