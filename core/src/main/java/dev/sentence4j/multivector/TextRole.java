package dev.sentence4j.multivector;

import dev.sentence4j.model.ConfigFile;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a text is to a multi-vector model, sentence-transformers' {@code task}: a query is expanded and
 * cut to the query length, a document cut to the document length and masked.
 */
public enum TextRole {
    QUERY("query"),
    DOCUMENT("document");

    private final String label;

    TextRole(String label) {
        this.label = label;
    }

    /** The name sentence-transformers gives the task ({@code query}, {@code document}). */
    public String label() {
        return label;
    }

    /** The role sentence-transformers names by this task label, if any. */
    public static Optional<TextRole> of(String label) {
        return Arrays.stream(values()).filter(role -> role.label.equals(label)).findFirst();
    }

    /**
     * The roles a module's field names, as sentence-transformers reads its {@code tasks} settings: a task
     * name, a list of them, or documents where the field is absent or null.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the field and the value that is wrong
     */
    static Set<TextRole> read(ConfigFile config, String key) {
        Set<TextRole> roles = EnumSet.noneOf(TextRole.class);
        config.field(key).ifPresentOrElse(node -> {
            if (node.isTextual()) {
                roles.add(named(config, key, node.textValue()));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    if (!node.get(i).isTextual()) {
                        throw config.error(key + "[" + i + "] must be a task name, got " + node.get(i));
                    }
                    roles.add(named(config, key, node.get(i).textValue()));
                }
            } else {
                throw config.error("field '" + key + "' must be a task name or a list of them, got " + node);
            }
        }, () -> roles.add(DOCUMENT));
        return roles;
    }

    private static TextRole named(ConfigFile config, String key, String task) {
        return of(task).orElseThrow(() -> config.error(key + " names '" + task + "'; sentence4j knows the tasks "
                + "'query' and 'document'"));
    }
}
