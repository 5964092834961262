package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.SentenceTransformersConfig;
import dev.sentence4j.pool.PoolingMode;
import dev.sentence4j.transformer.Transformer;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentence4j info}: what a model is made of, once loaded. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Tells what a model is made of.",
        description = "Loads a model and prints what it runs on: its family, its files (an ONNX export, or a checkpoint "
                + "whose graph sentence4j builds), their format and the sentence-transformers version that wrote them, "
                + "vector dimension, tokenizer settings, pooling, normalization, similarity function (a CrossEncoder's "
                + "labels and activation) and ONNX graph inputs and output.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--json", description = "Print one JSON object instead of 'key: value' lines.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, Object> facts;
        ModelFamily family = modelOptions.family();
        switch (family) {
            case SENTENCE_TRANSFORMER -> {
                try (SentenceTransformer model = modelOptions.load()) {
                    facts = facts(model);
                }
            }
            case CROSS_ENCODER -> {
                try (CrossEncoder model = modelOptions.load(CrossEncoder::load)) {
                    facts = facts(model);
                }
            }
            case SPARSE_ENCODER -> {
                try (SparseEncoder model = modelOptions.load(SparseEncoder::load)) {
                    facts = facts(model);
                }
            }
            case MULTI_VECTOR_ENCODER -> {
                try (MultiVectorEncoder model = modelOptions.load(MultiVectorEncoder::load)) {
                    facts = facts(model);
                }
            }
            default -> throw modelOptions.wrongFamily(family, "sentence4j loads SentenceTransformer, CrossEncoder, "
                    + "SparseEncoder and MultiVectorEncoder models");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(facts));
        } else {
            facts.forEach((key, value) -> out.println(key + ": " + text(value)));
        }
        out.flush();
        return 0;
    }

    /** A fact as one line of text; nothing is spelled "none" so every line reads "key: value". */
    private static String text(Object value) {
        String text = value instanceof Collection<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(", "))
                : String.valueOf(value);
        return value == null || text.isEmpty() ? "none" : text;
    }

    /** The facts in print order, keyed as sentence-transformers names them where it has a name. */
    private Map<String, Object> facts(SentenceTransformer model) {
        Map<String, Object> facts = common(model.files(), model.format(), model.config(), model.transformer());
        facts.put("dimension", model.dimension());
        facts.put("transformer_task", model.transformer().task().configName());
        facts.put("max_seq_length", model.tokenizer().settings().maxSeqLength());
        facts.put("do_lower_case", model.tokenizer().settings().doLowerCase());
        facts.put("padding_side", model.tokenizer().settings().paddingSide().name().toLowerCase(Locale.ROOT));
        facts.put("pooling", model.pooling().modes().stream().map(PoolingMode::label).toList());
        facts.put("include_prompt", model.pooling().includePrompt());
        facts.put("layers", model.layers().stream().map(Object::toString).toList());
        facts.put("normalize", model.normalizes());
        facts.put("prompts", model.config().prompts().keySet().stream().toList());
        facts.put("default_prompt", model.config().defaultPromptName().orElse(null));
        facts.put("similarity_function", model.similarityFunction().label());
        return graph(facts, model.transformer());
    }

    private Map<String, Object> facts(CrossEncoder model) {
        Map<String, Object> facts = common(model.files(), model.format(), model.config(), model.transformer());
        facts.put("max_seq_length", model.tokenizer().settings().maxSeqLength());
        facts.put("do_lower_case", model.tokenizer().settings().doLowerCase());
        facts.put("labels", model.labels());
        facts.put("activation", model.activation().torchClass());
        facts.put("prompts", model.config().prompts().keySet().stream().toList());
        facts.put("default_prompt", model.config().defaultPromptName().orElse(null));
        return graph(facts, model.transformer());
    }

    private Map<String, Object> facts(SparseEncoder model) {
        Map<String, Object> facts = common(model.files(), model.format(), model.config(), model.transformer());
        facts.put("dimension", model.dimension());
        facts.put("max_seq_length", model.tokenizer().settings().maxSeqLength());
        facts.put("do_lower_case", model.tokenizer().settings().doLowerCase());
        facts.put("pooling", "splade " + model.pooling());
        facts.put("prompts", model.config().prompts().keySet().stream().toList());
        facts.put("default_prompt", model.config().defaultPromptName().orElse(null));
        facts.put("similarity_function", model.similarityFunction().label());
        return graph(facts, model.transformer());
    }

    private Map<String, Object> facts(MultiVectorEncoder model) {
        Map<String, Object> facts = common(model.files(), model.format(), model.config(), model.transformer());
        facts.put("dimension", model.dimension());
        Tokenizer documents = model.tokenizer(TextRole.DOCUMENT);
        facts.put("query_length", model.tokenizer(TextRole.QUERY).settings().maxSeqLength());
        facts.put("query_expansion", model.lengths().expansion().map(Object::toString).orElse(null));
        facts.put("document_length", documents.settings().maxSeqLength());
        facts.put("do_lower_case", documents.settings().doLowerCase());
        facts.put("layers", model.layers().stream().map(Object::toString).toList());
        facts.put("mask", model.mask().toString());
        facts.put("prompts", model.prompts().keySet().stream().toList());
        facts.put("default_prompt", model.config().defaultPromptName().orElse(null));
        facts.put("similarity_function", model.similarityFunction().label());
        return graph(facts, model.transformer());
    }

    /** What every family's facts begin with: the model, its family and files. */
    private Map<String, Object> common(ModelFiles files, FolderFormat format, SentenceTransformersConfig config,
            Transformer transformer) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("model", modelOptions.model);
        facts.put("family", config.family().modelType());
        facts.put("source", files.name());
        facts.put("format", format.label());
        facts.put("sentence_transformers_version", config.writtenBy().orElse(null));
        facts.put("graph", transformer.builtFromCheckpoint() ? "built by sentence4j from the checkpoint" : "ONNX export");
        facts.put("onnx_file", files.describe(transformer.onnxFile()));
        facts.put("tokenizer_file", files.describe(transformer.tokenizerFile()));
        return facts;
    }

    /** What every family's facts end with: the ONNX graph's inputs and the output read. */
    private static Map<String, Object> graph(Map<String, Object> facts, Transformer transformer) {
        facts.put("onnx_inputs", transformer.inputNames());
        facts.put("onnx_output", transformer.outputName());
        return facts;
    }
}
