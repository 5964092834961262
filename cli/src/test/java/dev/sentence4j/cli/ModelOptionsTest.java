package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.hub.Hub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How a command's model options become the options its model loads with. */
class ModelOptionsTest {

    /**
     * A command that runs a few characters loads its model fast, at some cost in throughput that so few never
     * pay back ({@link LoadOptions#withFastLoad}); one that runs more keeps the default, as do the other options.
     */
    @Test
    void aFewCharactersLoadFastAndMoreDoNot() {
        ModelOptions options = similarityModelOptions("--threads", "2");
        List<LoadOptions> loads = new ArrayList<>();
        ModelOptions.Loader<AutoCloseable> recording = (files, chosen) -> {
            loads.add(chosen);
            return () -> {};
        };

        options.loadFor(ModelOptions.FEW_CHARACTERS, recording);
        options.loadFor(ModelOptions.FEW_CHARACTERS + 1, recording);

        assertThat(loads).extracting(LoadOptions::fastLoad).containsExactly(true, false);
        assertThat(loads).extracting(LoadOptions::threads).containsExactly(2, 2);
        assertThat(loads.get(0).withFastLoad(false)).isEqualTo(loads.get(1));
    }

    private static ModelOptions similarityModelOptions(String... arguments) {
        List<String> line = new ArrayList<>(List.of("similarity"));
        line.addAll(List.of(arguments));
        CommandLine commandLine = Main.commandLine(Hub.fromEnvironment(), LoadOptions.defaults(), line);
        commandLine.parseArgs(line.toArray(String[]::new));
        SimilarityCommand similarity = commandLine.getSubcommands().get("similarity").getCommand();
        return similarity.modelOptions;
    }
}
