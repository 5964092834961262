package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.search.ChunkSizes;
import dev.sentence4j.search.ParaphraseMining;
import dev.sentence4j.search.ScoredPair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j paraphrases}: the most similar pairs of texts within one file. */
@Command(name = "paraphrases", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Finds the most similar pairs of texts in a file.",
        description = {
            "Encodes every text of the file and prints the pairs most similar by the model's similarity function, "
                    + "best first, as sentence-transformers' paraphrase_mining: each text's --top-k nearest other "
                    + "texts make the pairs, each pair once, at most --max-pairs of them.",
            "Texts are compared a block at a time, so memory stays bounded, but the work grows with the square of "
                    + "the number of texts."
        })
final class ParaphrasesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The texts: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + ParaphraseMining.DEFAULT_TOP_K,
            description = "Nearest other texts kept for each text. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--max-pairs", paramLabel = "N", defaultValue = "" + ParaphraseMining.DEFAULT_MAX_PAIRS,
            description = "The most pairs to print. Default: ${DEFAULT-VALUE}.")
    int maxPairs;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "How to print the pairs: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        if (topK < 1 || maxPairs < 1) {
            throw new ParameterException(spec.commandLine(), "--top-k and --max-pairs must be at least 1, got "
                    + topK + " and " + maxPairs);
        }
        List<InputText> texts = inputOptions.read(input);
        if (texts.size() < 2) {
            throw new CliException(input + " holds " + texts.size() + " text(s); finding pairs needs at least 2");
        }
        List<ScoredPair> pairs;
        try (SentenceTransformer model = modelOptions.load()) {
            float[][] vectors = InChunks.encode(texts.stream().map(InputText::text).toList(),
                    spec.commandLine().getErr(), model::encode);
            pairs = ParaphraseMining.mine(vectors, model.similarityFunction(), topK, maxPairs, ChunkSizes.defaults());
        }
        print(spec.commandLine().getOut(), texts, pairs);
        return 0;
    }

    /** {@code score  lines A and B: text A  |  text B}, or a JSON array of {@code {score, line1, text1, line2, text2}}. */
    private void print(PrintWriter out, List<InputText> texts, List<ScoredPair> pairs) throws JsonProcessingException {
        if (format == OutputFormat.JSON) {
            ArrayNode all = JSON.createArrayNode();
            for (ScoredPair pair : pairs) {
                InputText first = texts.get(pair.first());
                InputText second = texts.get(pair.second());
                all.addObject().put("score", pair.score()).put("line1", first.line()).put("text1", first.text())
                        .put("line2", second.line()).put("text2", second.text());
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            for (ScoredPair pair : pairs) {
                InputText first = texts.get(pair.first());
                InputText second = texts.get(pair.second());
                out.println(String.format(Locale.ROOT, "%.4f  lines %d and %d: %s  |  %s", pair.score(), first.line(),
                        second.line(), first.text(), second.text()));
            }
        }
        out.flush();
    }
}
