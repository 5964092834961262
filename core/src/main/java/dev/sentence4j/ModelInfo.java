package dev.sentence4j;

import dev.sentence4j.model.FolderFormat;
import dev.sentence4j.model.ModelFamily;
import dev.sentence4j.similarity.SimilarityFunction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model says of itself ({@link Model#describe()}), for servers, tools and indexes that must not
 * reach into its modules. Immutable.
 *
 * @param family which family loaded it
 * @param name its folder or id
 * @param format which sentence-transformers layout its folder has
 * @param dimension the length of its vectors: the embedding size, the vocabulary of a sparse encoder, the
 *     labels of a cross-encoder
 * @param maxSeqLength the most tokens an input keeps on the default route
 * @param similarity its similarity function, or {@code null} for a cross-encoder, which scores pairs itself,
 *     and for a multi-vector model, which scores token vectors by its own ({@code similarity_function} in
 *     {@link #facts()})
 * @param normalizes whether its vectors come out unit length
 * @param prompts its prompts by name
 * @param defaultPrompt the name of the prompt used unless a call names one, or {@code null}
 * @param routes the routes of its Router ({@code query}, {@code document}); empty without one
 * @param defaultRoute the route a call without a task takes, or {@code null}
 * @param modules its modules on the default route, in order, as they print themselves
 * @param facts more about the default route, by the names sentence-transformers and ONNX give them:
 *     {@code onnx_file}, {@code tokenizer_file}, {@code graph}, {@code pooling}, {@code labels}, ...
 * @param writtenBy the sentence-transformers version that saved the folder, or {@code null} where it does not say
 * @param locations where each file of {@code facts} ({@code onnx_file}, {@code tokenizer_file}) is, for people: a
 *     path on disk, or the file inside the jar or download it came from; keyed as in {@code facts}
 */
public record ModelInfo(ModelFamily family, String name, FolderFormat format, int dimension, int maxSeqLength,
        SimilarityFunction similarity, boolean normalizes, Map<String, String> prompts, String defaultPrompt,
        List<String> routes, String defaultRoute, List<String> modules, Map<String, Object> facts, String writtenBy,
        Map<String, String> locations) {
    public ModelInfo {
        prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
        routes = List.copyOf(routes);
        modules = List.copyOf(modules);
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        locations = Collections.unmodifiableMap(new LinkedHashMap<>(locations));
    }

    /** The ONNX file (or checkpoint a graph was built from) the default route runs, as a path inside the model; none for a static model. */
    public Optional<String> onnxFile() {
        return Optional.ofNullable(facts.get("onnx_file")).map(String::valueOf);
    }

    /** The {@code tokenizer.json} of the default route, as a path inside the model. */
    public Optional<String> tokenizerFile() {
        return Optional.ofNullable(facts.get("tokenizer_file")).map(String::valueOf);
    }
}
