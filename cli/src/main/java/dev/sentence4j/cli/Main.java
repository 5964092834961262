package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.hub.Hub;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sentence4j} command and its subcommands (see {@code --help}). A failure prints
 * one line, {@code sentence4j: <message>}, on stderr and exits with status 1, or 2 for a usage error;
 * Ctrl-C, SIGTERM or SIGHUP stop any command safely ({@link ProcessStop}).
 */
@Command(name = Main.NAME, mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sentence embeddings, reranking and semantic similarity on the JVM, as Python's "
                + "sentence-transformers computes them.",
        subcommands = {SimilarityCommand.class, EncodeCommand.class, SearchCommand.class, RerankCommand.class,
                ParaphrasesCommand.class,
                IndexCommand.class, EvalCommand.class, InfoCommand.class, ServeCommand.class, BenchCommand.class,
                DownloadCommand.class})
public final class Main implements Runnable {
    static final String NAME = "sentence4j";

    private final Hub hub;
    private final LoadOptions loadDefaults;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show the stack trace of a failure.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private Main(Hub hub, LoadOptions loadDefaults) {
        this.hub = hub;
        this.loadDefaults = loadDefaults;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // UTF-8 whatever the locale, as Python prints: texts are often not ASCII, and often piped to files.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // First of all, so that no signal finds native work running under the JVM's own shutdown.
        ProcessStop.PROCESS.install(err);
        ConsoleLogging.install();
        int status;
        try {
            status = commandLine().setOut(out).setErr(err).execute(args);
        } catch (OutOfMemoryError e) {
            err.println(NAME + ": out of memory; give Java more, for example SENTENCE4J_JAVA_OPTS=-Xmx4g");
            status = 1;
        }
        out.flush();
        // A signal's stop, if one is under way, ends the process with its own status.
        ProcessStop.PROCESS.awaitStop();
        System.exit(status);
    }

    /** The command line, with its one-line failure reports, ready to {@link CommandLine#execute}. */
    static CommandLine commandLine() {
        return commandLine(Hub.fromEnvironment(), LoadOptions.defaults());
    }

    /** The command line, fetching Hub models with these settings and loading models from these options on. */
    static CommandLine commandLine(Hub hub, LoadOptions loadDefaults) {
        Main main = new Main(hub, loadDefaults);
        FailureReport report = new FailureReport(() -> main.verbose);
        return new CommandLine(main)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(report)
                .setParameterExceptionHandler(report);
    }

    /** The Hub settings for a command, showing download progress on its stderr. */
    static Hub hub(CommandSpec command) {
        return main(command).hub.withListener(DownloadProgress.on(command.commandLine().getErr()));
    }

    /** The load options a command starts from, before its own options change them. */
    static LoadOptions loadDefaults(CommandSpec command) {
        return main(command).loadDefaults;
    }

    private static Main main(CommandSpec command) {
        return (Main) command.root().userObject();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
