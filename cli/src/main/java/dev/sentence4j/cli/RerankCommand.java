package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LongInputs;
import dev.sentence4j.MultiVectorEncodeOptions;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.RankedText;
import dev.sentence4j.TextPair;
import dev.sentence4j.TextTooLongException;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.multivector.TextRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j rerank}: a file's texts ordered by a cross-encoder's score with a query. */
@Command(name = "rerank", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Orders texts by a cross-encoder's (or a ColBERT model's) score with a query.",
        description = {
            "Scores the query with each text of the input using a CrossEncoder (reranker) model, as "
                    + "sentence-transformers' CrossEncoder.rank does, and prints them best first (equal scores by "
                    + "earlier line). A multi-vector (ColBERT) model scores each text by MaxSim of the query's and "
                    + "the text's token vectors, as its rank does.",
            "Each pair longer than the model takes loses tokens from its longer text first, unless --long-input error."
        })
final class RerankCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--query", required = true, paramLabel = "TEXT", description = "The query the texts are scored with.")
    String query;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "The texts to rerank: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path input;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--top-k", paramLabel = "K", description = "Print only the best K. Default: all.")
    Integer topK;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "How to print the results: ${COMPLETION-CANDIDATES} ([{\"index\":i,\"score\":s,\"text\":...}], "
                    + "best first, i counting the input's texts from 0). Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--raw-scores",
            description = "Print the classifier's logits rather than the model's activation of them (Sigmoid, usually).")
    boolean rawScores;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Pairs per transformer run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--long-input", paramLabel = "POLICY", defaultValue = "truncate", converter = LongInputsConverter.class,
            description = "What to do with a pair longer than the model takes: truncate (the longer text first, as "
                    + "sentence-transformers) or error (stop, naming the line). Default: ${DEFAULT-VALUE}.")
    LongInputs longInputs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PredictOptions options = predictOptions();
        // The file is read, and fails, before the slow model load.
        List<InputText> texts = inputOptions.read(input);
        if (texts.isEmpty()) {
            throw new CliException(input + " holds no texts to rerank");
        }
        ModelFamily family = modelOptions.family();
        if (family == ModelFamily.MULTI_VECTOR_ENCODER) {
            if (rawScores) {
                throw new ParameterException(spec.commandLine(), "--raw-scores applies to a CrossEncoder's logits; "
                        + modelOptions.model + " is a multi-vector model, scored by MaxSim");
            }
            List<RankedText> ranked;
            try (MultiVectorEncoder model = modelOptions.loadFor(characters(texts), MultiVectorEncoder::load)) {
                ranked = rankByMaxSim(model, texts, MultiVectorEncodeOptions.defaults().withBatchSize(batchSize)
                        .withLongInputs(longInputs));
            }
            print(spec.commandLine().getOut(), texts, ranked.subList(0, topK == null ? ranked.size() : Math.min(topK, ranked.size())));
            return 0;
        }
        if (family != ModelFamily.CROSS_ENCODER) {
            throw modelOptions.wrongFamily(family, "rerank needs a CrossEncoder (a reranker), such as "
                    + "cross-encoder/ms-marco-MiniLM-L6-v2, or a multi-vector (ColBERT) model");
        }
        List<RankedText> ranked;
        try (CrossEncoder model = modelOptions.loadFor(characters(texts), CrossEncoder::load)) {
            if (model.labels().size() != 1) {
                throw new CliException("rerank needs a CrossEncoder with one label (a relevance score); " + modelOptions.model
                        + " has " + model.labels().size() + ": " + String.join(", ", model.labels()));
            }
            ranked = rank(model, texts, options);
        }
        print(spec.commandLine().getOut(), texts, ranked.subList(0, topK == null ? ranked.size() : Math.min(topK, ranked.size())));
        return 0;
    }

    /** The characters the model runs: the query with each text. */
    private long characters(List<InputText> texts) {
        return texts.stream().mapToLong(text -> query.length() + text.text().length()).sum();
    }

    private PredictOptions predictOptions() {
        if (topK != null && topK < 1) {
            throw new ParameterException(spec.commandLine(), "--top-k must be at least 1, got " + topK);
        }
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        if (longInputs == LongInputs.CHUNK) {
            throw new ParameterException(spec.commandLine(), "--long-input chunk does not apply to pairs: use truncate or error");
        }
        return PredictOptions.defaults().withBatchSize(batchSize).withApplyActivation(!rawScores).withLongInputs(longInputs);
    }

    /** Every text with its score, best first; scored a chunk at a time, so long inputs show progress. */
    private List<RankedText> rank(CrossEncoder model, List<InputText> texts, PredictOptions options) {
        List<RankedText> ranked = new ArrayList<>(texts.size());
        try {
            InChunks.run(texts, spec.commandLine().getErr(), chunk -> {
                List<TextPair> pairs = chunk.stream().map(text -> new TextPair(query, text.text())).toList();
                float[] scores = predict(model, pairs, options, chunk);
                for (int i = 0; i < scores.length; i++) {
                    ranked.add(new RankedText(ranked.size(), scores[i], chunk.get(i).text()));
                }
            });
        } catch (IOException e) {
            throw new AssertionError("reranking writes no file", e);
        }
        // As CrossEncoder.rank: best first, equal scores in input order.
        ranked.sort(Comparator.comparingDouble((RankedText r) -> r.score()).reversed());
        return ranked;
    }

    /**
     * Every text with its late-interaction score against the query (the model's MaxSim), best first, as
     * {@link MultiVectorEncoder#rank}; the texts encoded a chunk at a time, so long inputs show progress.
     */
    private List<RankedText> rankByMaxSim(MultiVectorEncoder model, List<InputText> texts, MultiVectorEncodeOptions options) {
        float[][] queryVectors = model.encode(List.of(query), options.withTask(TextRole.QUERY.label())).get(0);
        List<RankedText> ranked = new ArrayList<>(texts.size());
        try {
            InChunks.run(texts, spec.commandLine().getErr(), chunk -> {
                List<float[][]> documents;
                try {
                    documents = model.encode(chunk.stream().map(InputText::text).toList(), options.withTask(TextRole.DOCUMENT.label()));
                } catch (TextTooLongException e) {
                    throw new CliException(input + ", line " + chunk.get(e.index()).line() + ": " + e.tokenCount()
                            + " tokens, more than the " + e.maxSeqLength() + " of the model's document length (--long-input error)");
                }
                float[] scores = model.similarity(List.<float[][]>of(queryVectors), documents)[0];
                for (int i = 0; i < scores.length; i++) {
                    ranked.add(new RankedText(ranked.size(), scores[i], chunk.get(i).text()));
                }
            });
        } catch (IOException e) {
            throw new AssertionError("reranking writes no file", e);
        }
        ranked.sort(Comparator.comparingDouble((RankedText r) -> r.score()).reversed());
        return ranked;
    }

    private float[] predict(CrossEncoder model, List<TextPair> pairs, PredictOptions options, List<InputText> chunk) {
        try {
            return model.predict(pairs, options);
        } catch (TextTooLongException e) {
            throw new CliException(input + ", line " + chunk.get(e.index()).line() + ": the query and this text make "
                    + e.tokenCount() + " tokens, more than the " + e.maxSeqLength() + " the model takes (--long-input error)");
        }
    }

    private void print(PrintWriter out, List<InputText> texts, List<RankedText> ranked) throws JsonProcessingException {
        if (format == OutputFormat.JSON) {
            ArrayNode all = JSON.createArrayNode();
            for (RankedText r : ranked) {
                all.addObject().put("index", r.index()).put("score", r.score()).put("text", r.text());
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            out.flush();
        } else {
            QueryResults.print(out, OutputFormat.TABLE, List.of(query),
                    List.of(ranked.stream().map(r -> new Match(texts.get(r.index()).line(), r.text(), r.score())).toList()));
        }
    }
}
