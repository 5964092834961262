package dev.sentence4j.model;

import java.util.List;
import java.util.Optional;

/** Which layout a model folder has, as told by the module types its {@code modules.json} writes. */
public enum FolderFormat {
    /** Written by sentence-transformers 6: types such as {@code sentence_transformers.base.modules.transformer.Transformer}. */
    V6("6.x"),
    /** Written by sentence-transformers 5 or older: types such as {@code sentence_transformers.models.Transformer}. */
    V5("5.x"),
    /** A Hugging Face model without {@code modules.json}. */
    PLAIN("none (no modules.json)");

    private final String label;

    FolderFormat(String label) {
        this.label = label;
    }

    /** How messages and {@code info} name the format. */
    public String label() {
        return label;
    }

    /** The format of a folder with these modules (empty: no {@code modules.json}). */
    public static FolderFormat of(Optional<List<ModuleFolder>> modules) {
        if (modules.isEmpty()) {
            return PLAIN;
        }
        // 5.x kept every class under models/; 6.x moved them into packages named modules.
        boolean v6 = modules.get().stream().anyMatch(m -> m.type().startsWith("sentence_transformers.")
                && m.type().contains(".modules."));
        return v6 ? V6 : V5;
    }
}
