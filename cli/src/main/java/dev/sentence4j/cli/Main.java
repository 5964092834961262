package dev.sentence4j.cli;

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
 * one line, {@code sentence4j: <message>}, on stderr and exits with status 1, or 2 for a usage error.
 */
@Command(name = Main.NAME, mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sentence embeddings and semantic similarity on the JVM, as Python's sentence-transformers "
                + "computes them.",
        subcommands = {SimilarityCommand.class, EncodeCommand.class, InfoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    static final String NAME = "sentence4j";

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show the stack trace of a failure.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        ConsoleLogging.install();
        // UTF-8 whatever the locale, as Python prints: texts are often not ASCII, and often piped to files.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status;
        try {
            status = commandLine().setOut(out).setErr(err).execute(args);
        } catch (OutOfMemoryError e) {
            err.println(NAME + ": out of memory; give Java more, for example SENTENCE4J_JAVA_OPTS=-Xmx4g");
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    /** The command line, with its one-line failure reports, ready to {@link CommandLine#execute}. */
    static CommandLine commandLine() {
        Main main = new Main();
        FailureReport report = new FailureReport(() -> main.verbose);
        return new CommandLine(main)
                .setExecutionExceptionHandler(report)
                .setParameterExceptionHandler(report);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
