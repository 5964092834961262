package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.Model;
import dev.sentence4j.ModelInfo;
import dev.sentence4j.MultiVectorEncoder;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.multivector.TextRole;
import dev.sentence4j.tokenize.TokenizerSettings;
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
        // Loaded to be described, running no text: a fast load.
        try (Model model = switch (family) {
            case SENTENCE_TRANSFORMER -> modelOptions.loadFor(0, SentenceTransformer::load);
            case CROSS_ENCODER -> modelOptions.loadFor(0, CrossEncoder::load);
            case SPARSE_ENCODER -> modelOptions.loadFor(0, SparseEncoder::load);
            case MULTI_VECTOR_ENCODER -> modelOptions.loadFor(0, MultiVectorEncoder::load);
        }) {
            facts = facts(model);
        }
        return print(facts);
    }

    private int print(Map<String, Object> facts) throws JsonProcessingException {
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
    private Map<String, Object> facts(Model model) {
        ModelInfo info = model.describe();
        TokenizerSettings tokenizer = model.tokenizer().settings();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("model", modelOptions.model);
        facts.put("family", info.family().modelType());
        facts.put("source", info.name());
        facts.put("format", info.format().label());
        facts.put("sentence_transformers_version", info.writtenBy());
        Map<String, Object> described = new LinkedHashMap<>(info.facts());
        described.putAll(info.locations());
        Object inputs = described.remove("onnx_inputs");
        Object output = described.remove("onnx_output");
        facts.put("modules", info.modules());
        facts.putAll(described);
        if (info.family() != ModelFamily.CROSS_ENCODER) {
            facts.put("dimension", info.dimension());
        }
        facts.put("max_seq_length", info.maxSeqLength());
        facts.put("do_lower_case", tokenizer.doLowerCase());
        facts.put("padding_side", tokenizer.paddingSide().name().toLowerCase(Locale.ROOT));
        if (info.family() == ModelFamily.SENTENCE_TRANSFORMER) {
            facts.put("normalize", info.normalizes());
        }
        facts.put("routes", info.routes());
        facts.put("default_route", info.defaultRoute());
        facts.put("prompts", info.prompts().keySet().stream().toList());
        facts.put("default_prompt", info.defaultPrompt());
        if (info.similarity() != null) {
            facts.put("similarity_function", info.similarity().label());
        }
        if (inputs != null) {
            facts.put("onnx_inputs", inputs);
            facts.put("onnx_output", output);
        }
        return facts;
    }
}
