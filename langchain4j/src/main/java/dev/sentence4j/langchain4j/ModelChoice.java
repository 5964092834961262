package dev.sentence4j.langchain4j;

import dev.sentence4j.LoadOptions;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The model an adapter's builder was told to run: a folder or id to load, which the adapter then owns
 * and closes, or a model loaded already, which stays the caller's to close.
 *
 * @param <M> the sentence4j model: a {@code SentenceTransformer} or a {@code CrossEncoder}
 */
final class ModelChoice<M extends AutoCloseable> {
    private final String exampleId;
    private String folderOrId;
    private M given;
    private LoadOptions loadOptions = LoadOptions.defaults();
    private boolean loadOptionsSet;

    /** @param exampleId the model the error for a builder that names none suggests */
    ModelChoice(String exampleId) {
        this.exampleId = exampleId;
    }

    void load(String folderOrId) {
        this.folderOrId = Objects.requireNonNull(folderOrId, "folderOrId");
        this.given = null;
    }

    void use(M model) {
        this.given = Objects.requireNonNull(model, "model");
        this.folderOrId = null;
    }

    /** Changes how the model is loaded: revision, quantized, threads, ONNX file. */
    void loadOptions(UnaryOperator<LoadOptions> change) {
        loadOptionsSet = true;
        loadOptions = change.apply(loadOptions);
    }

    /**
     * The adapter on the model given, or on the model loaded; a model loaded here is closed again when
     * the adapter cannot be made on it.
     *
     * @param loader loads a folder or id with options
     * @param adapter makes the adapter on a model, told whether the adapter owns it
     * @throws IllegalStateException when no model was named, or load options were given with a loaded model
     */
    <A> A build(BiFunction<String, LoadOptions, M> loader, BiFunction<M, Boolean, A> adapter) {
        if (given != null) {
            if (loadOptionsSet) {
                throw new IllegalStateException("revision, quantized, threads and onnxFile choose how a model is loaded;"
                        + " the model given is loaded already");
            }
            return adapter.apply(given, false);
        }
        if (folderOrId == null) {
            throw new IllegalStateException("name the model: builder().model(\"" + exampleId + "\")");
        }
        M loaded = loader.apply(folderOrId, loadOptions);
        try {
            return adapter.apply(loaded, true);
        } catch (RuntimeException e) {
            try {
                loaded.close();
            } catch (Exception whileClosing) {
                e.addSuppressed(whileClosing);
            }
            throw e;
        }
    }
}
