package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.hub.Hub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What every command shares: help, version, one-line usage errors, --verbose. None loads a model. */
class MainTest {
    /** Every command and subcommand the command line has, walked from its root, so none can be left out. */
    static List<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Main.commandLine(Hub.fromEnvironment(), LoadOptions.defaults(), List.of()), "", names);
        return names;
    }

    private static void collect(CommandLine command, String prefix, List<String> names) {
        names.add(prefix);
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && sub.getCommandName().equals(name)) {
                collect(sub, (prefix + " " + name).strip(), names);
            }
        });
    }

    @Test
    void theCommandsTheReadmeDocumentsAreAllThere() {
        assertThat(commands()).contains("", "similarity", "encode", "search", "rerank", "paraphrases", "index", "index build",
                "index query", "eval", "eval sts", "info", "serve", "bench", "download");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelpAndVersion(String command) {
        String[] prefix = command.isEmpty() ? new String[0] : command.split(" ");

        CommandRun help = CommandRun.of(append(prefix, "--help"));
        CommandRun version = CommandRun.of(append(prefix, "--version"));

        assertThat(help.status()).isZero();
        assertThat(help.out()).contains(("Usage: sentence4j " + command).strip() + " [-hvV]");
        assertThat(version.status()).isZero();
        assertThat(version.outLines().get(0)).matches("sentence4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    private static String[] append(String[] args, String arg) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = arg;
        return all;
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertThat(subcommands("similarity", "--input", "x.txt")).containsExactly("similarity");
        assertThat(subcommands("-v", "index", "build", "--corpus", "c.txt")).containsExactly("index");
        assertThat(subcommands("--help")).hasSize(11).startsWith("similarity", "encode");
        assertThat(subcommands("similarty")).hasSize(11);
    }

    private static List<String> subcommands(String... args) {
        return List.copyOf(Main.commandLine(Hub.fromEnvironment(), LoadOptions.defaults(), List.of(args)).getSubcommands().keySet());
    }

    @Test
    void nativeLibrariesPreloadOnlyForCommandsThatRunAModel() {
        // Every command with the model options runs a model; the rest, and help, must not wait on native code.
        for (String command : commands()) {
            CommandLine line = Main.commandLine(Hub.fromEnvironment(), LoadOptions.defaults());
            boolean hasModelOptions = !command.isEmpty() && line.getSubcommands().get(command.split(" ")[0]) != null
                    && withModelOptions(line.getSubcommands().get(command.split(" ")[0]));
            assertThat(Main.runsModel(List.of(command.split(" ")))).as(command).isEqualTo(hasModelOptions);
        }
        assertThat(Main.runsModel(List.of("-v", "similarity", "a", "b"))).isTrue();
        assertThat(Main.runsModel(List.of("similarity", "--help"))).isFalse();
        assertThat(Main.runsModel(List.of("encode", "-V"))).isFalse();
    }

    /** Whether a command or any of its subcommands takes the model options. */
    private static boolean withModelOptions(CommandLine command) {
        return command.getCommandSpec().options().stream().anyMatch(o -> o.longestName().equals("--model"))
                || command.getSubcommands().values().stream().anyMatch(MainTest::withModelOptions);
    }

    @Test
    void aMissingCommandIsAUsageError() {
        CommandRun run = CommandRun.of();

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "sentence4j: missing command: one of similarity, encode, search, rerank, paraphrases, index, eval, info, serve, "
                        + "bench, download; see 'sentence4j --help'");
        assertThat(CommandRun.of("index").errLines()).containsExactly(
                "sentence4j: missing command: one of build, query; see 'sentence4j index --help'");
        assertThat(CommandRun.of("eval").errLines()).containsExactly(
                "sentence4j: missing command: one of sts; see 'sentence4j eval --help'");
    }

    @Test
    void anUnknownCommandGetsASuggestion() {
        CommandRun run = CommandRun.of("similarty");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("'similarty'", "did you mean similarity ");
    }

    @Test
    void aMissingOptionIsOneLine() {
        CommandRun run = CommandRun.of("encode", "--input", "texts.txt");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "sentence4j: Missing required option: '--output=FILE'; see 'sentence4j encode --help'");
    }

    @Test
    void aBadBatchSizeIsAUsageError() {
        CommandRun run = CommandRun.of("encode", "--input", "texts.txt", "--output", "x.npy", "--batch-size", "0");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--batch-size must be at least 1");
    }

    @Test
    void verboseAddsTheStackTraceWhereverItIsGiven() {
        CommandRun quiet = CommandRun.of("similarity", "--input", "missing.txt");
        CommandRun before = CommandRun.of("-v", "similarity", "--input", "missing.txt");
        CommandRun after = CommandRun.of("similarity", "--input", "missing.txt", "--verbose");

        assertThat(quiet.errLines()).containsExactly("sentence4j: missing.txt does not exist");
        for (CommandRun verbose : new CommandRun[] {before, after}) {
            assertThat(verbose.status()).isEqualTo(1);
            assertThat(verbose.errLines().get(0)).isEqualTo("sentence4j: missing.txt does not exist");
            // On the module path, frames name the module first: "at dev.sentence4j.cli@.../dev.sentence4j.cli.TextFile".
            assertThat(verbose.err()).contains("CliException", "dev.sentence4j.cli.TextFile.");
        }
    }
}
