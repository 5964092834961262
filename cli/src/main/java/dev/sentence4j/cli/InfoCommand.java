package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.pool.PoolingMode;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
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
        description = "Loads a model and prints what it runs on: its files (an ONNX export, or a checkpoint whose graph "
                + "sentence4j builds), vector dimension, tokenizer "
                + "settings, pooling, normalization, similarity function and ONNX graph inputs and output.")
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
        try (SentenceTransformer model = modelOptions.load()) {
            facts = facts(model);
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
        ModelFiles files = model.files();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("model", modelOptions.model);
        facts.put("source", files.name());
        facts.put("graph", model.builtFromCheckpoint() ? "built by sentence4j from the checkpoint" : "ONNX export");
        facts.put("onnx_file", files.describe(model.onnxFile()));
        facts.put("tokenizer_file", files.describe(model.tokenizerFile()));
        facts.put("dimension", model.dimension());
        facts.put("max_seq_length", model.config().tokenizer().maxSeqLength());
        facts.put("do_lower_case", model.config().tokenizer().doLowerCase());
        facts.put("pooling", model.pooling().modes().stream().map(PoolingMode::label).toList());
        facts.put("include_prompt", model.pooling().includePrompt());
        facts.put("layers", model.config().layers().stream().map(Object::toString).toList());
        facts.put("normalize", model.config().normalize());
        facts.put("prompts", model.config().prompts().keySet().stream().toList());
        facts.put("default_prompt", model.config().defaultPromptName());
        facts.put("similarity_function", model.similarityFunction().label());
        facts.put("onnx_inputs", model.transformer().inputNames());
        facts.put("onnx_output", model.transformer().outputName());
        return facts;
    }
}
