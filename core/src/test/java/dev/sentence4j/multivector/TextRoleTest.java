package dev.sentence4j.multivector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tasks a module's config names (MultiVectorMask's skiplist_tasks, HierarchicalTokenPooling's tasks), read one way. */
class TextRoleTest {
    @TempDir
    Path folder;

    private ConfigFile config(String json) throws IOException {
        Files.writeString(folder.resolve("config.json"), json);
        return ConfigFile.read(ModelFiles.folder(folder), "config.json");
    }

    @Test
    void aTaskANameOrAListAndDocumentsWhereNoneIsNamed() throws IOException {
        assertThat(TextRole.read(config("{}"), "tasks")).containsExactly(TextRole.DOCUMENT);
        assertThat(TextRole.read(config("{\"tasks\": null}"), "tasks")).containsExactly(TextRole.DOCUMENT);
        assertThat(TextRole.read(config("{\"tasks\": \"query\"}"), "tasks")).containsExactly(TextRole.QUERY);
        assertThat(TextRole.read(config("{\"tasks\": [\"document\", \"query\"]}"), "tasks"))
                .containsExactlyInAnyOrder(TextRole.QUERY, TextRole.DOCUMENT);
        assertThat(TextRole.read(config("{\"tasks\": []}"), "tasks")).isEmpty();
        assertThat(TextRole.of("query")).contains(TextRole.QUERY);
        assertThat(TextRole.of("passage")).isEmpty();
    }

    @Test
    void anUnknownTaskOrAValueOfAnotherKindIsNamedWithItsFile() throws IOException {
        String file = folder.resolve("config.json").toString();
        assertThatThrownBy(() -> TextRole.read(config("{\"tasks\": [\"query\", \"passage\"]}"), "tasks"))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(file)
                .hasMessageContaining("tasks names 'passage'; sentence4j knows the tasks 'query' and 'document'");
        assertThatThrownBy(() -> TextRole.read(config("{\"skiplist_tasks\": [1]}"), "skiplist_tasks"))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("skiplist_tasks[0] must be a task name, got 1");
        assertThatThrownBy(() -> TextRole.read(config("{\"tasks\": 5}"), "tasks"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("field 'tasks' must be a task name or a list of them, got 5");
    }
}
