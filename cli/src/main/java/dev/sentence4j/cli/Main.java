package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.hub.Hub;
import dev.sentence4j.transformer.Transformer;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
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
                + "sentence-transformers computes them.")
public final class Main implements Runnable {
    static final String NAME = "sentence4j";

    /** The subcommands, in the order {@code --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(SimilarityCommand.class, EncodeCommand.class,
            SearchCommand.class, RerankCommand.class, ParaphrasesCommand.class, IndexCommand.class, EvalCommand.class,
            InfoCommand.class, ServeCommand.class, BenchCommand.class, DownloadCommand.class);

    /** The commands that run a model (those with {@link ModelOptions}). */
    private static final Set<String> MODEL_COMMANDS = Set.of("similarity", "encode", "search", "rerank", "paraphrases",
            "index", "eval", "info", "serve", "bench");
    private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

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
        LoadOptions loadDefaults = LoadOptions.defaults();
        boolean runsModel = runsModel(List.of(args));
        CompletableFuture<Void> loggingSetUp = new CompletableFuture<>();
        FutureTask<Optional<Future<?>>> setUp = new FutureTask<>(() -> {
            try {
                // The preload first, since the model's load waits for it; it loads the tokenizers' library,
                // which may log, only once logging is set up.
                Optional<Future<?>> natives = runsModel
                        ? Optional.of(Transformer.preload(loadDefaults.cacheDirectory(), () -> awaitQuietly(loggingSetUp)))
                        : Optional.empty();
                ConsoleLogging.install();
                return natives;
            } finally {
                loggingSetUp.complete(null);
            }
        });
        if (runsModel) {
            // On other cores while the arguments are read: setting up logging alone takes some 40 ms of CPU,
            // most of it opening every jar of the class path in search of a logging provider.
            new Thread(setUp, "sentence4j-setup").start();
        } else {
            setUp.run();
        }
        int status;
        try {
            status = commandLine(Hub.fromEnvironment(), loadDefaults, List.of(args))
                    .setOut(out).setErr(err)
                    // The command may log: it runs once logging is set up.
                    .setExecutionStrategy(new AfterSetUp(setUp))
                    .execute(args);
        } catch (OutOfMemoryError e) {
            err.println(NAME + ": out of memory; give Java more, for example SENTENCE4J_JAVA_OPTS=-Xmx4g");
            status = 1;
        }
        out.flush();
        // Native code still loading as the JVM exits could crash it (see ProcessStop); by now it is long loaded.
        awaitQuietly(setUp).flatMap(natives -> natives).ifPresent(Main::awaitQuietly);
        // A signal's stop, if one is under way, ends the process with its own status.
        ProcessStop.PROCESS.awaitStop();
        System.exit(status);
    }

    /**
     * Whether the arguments name a command that runs a model, not just to show its help. What every model
     * load starts with ({@link Transformer#preload}: the JSON reader, ONNX Runtime, the tokenizers' native
     * library) then loads on another core while the arguments are read, a tenth of a second or more that
     * would otherwise come after.
     */
    static boolean runsModel(List<String> arguments) {
        return MODEL_COMMANDS.contains(commandName(arguments)) && arguments.stream().noneMatch(HELP_OPTIONS::contains);
    }

    /**
     * The subcommand the arguments name, empty if none: the root command's options take no values, so it is
     * the first argument that is not an option.
     */
    private static String commandName(List<String> arguments) {
        return arguments.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    /**
     * Runs the command once the set-up is over, since the command may log. A class, not a lambda: writing the
     * class-data archive links the classes a lambda names, and the JVM leaves classes compiled for Java 5, as
     * picocli's are, out of the archive once they are linked; a lambda naming picocli's {@code CommandLine}
     * would leave that class, picocli's largest, to be read from its jar on every start.
     */
    private static final class AfterSetUp extends CommandLine.RunLast {
        private final Future<?> setUp;

        AfterSetUp(Future<?> setUp) {
            this.setUp = setUp;
        }

        @Override
        public int execute(CommandLine.ParseResult parsed) {
            awaitQuietly(setUp);
            return super.execute(parsed);
        }
    }

    /** What the work made, once it is done; empty if it failed. */
    private static <T> Optional<T> awaitQuietly(Future<T> work) {
        boolean interrupted = false;
        Optional<T> made = Optional.empty();
        while (true) {
            try {
                made = Optional.ofNullable(work.get());
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return made;
    }

    /** The command line, fetching Hub models with these settings and loading models from these options on. */
    static CommandLine commandLine(Hub hub, LoadOptions loadDefaults) {
        return commandLine(hub, loadDefaults, List.of());
    }

    /**
     * The command line for these arguments, with its one-line failure reports, ready to
     * {@link CommandLine#execute}. Only the subcommand the arguments name is built: building the others
     * (their classes loaded, their options read by reflection, their fields set up) would cost a good
     * part of a short command's start-up. Arguments that name none get them all, for the usage message.
     */
    static CommandLine commandLine(Hub hub, LoadOptions loadDefaults, List<String> arguments) {
        Main main = new Main(hub, loadDefaults);
        FailureReport report = new FailureReport(() -> main.verbose);
        CommandLine commandLine = new CommandLine(main);
        String named = commandName(arguments);
        List<Class<?>> chosen = SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(named)).toList();
        // A loop, not forEach(commandLine::addSubcommand): see AfterSetUp.
        for (Class<?> subcommand : chosen.isEmpty() ? SUBCOMMANDS : chosen) {
            commandLine.addSubcommand(subcommand);
        }
        // After the subcommands: these settings reach only those already added.
        return commandLine
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
