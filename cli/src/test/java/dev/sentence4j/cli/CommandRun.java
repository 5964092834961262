package dev.sentence4j.cli;

import dev.sentence4j.LoadOptions;
import dev.sentence4j.hub.Hub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One run of the command line in this JVM, as the launcher would start it, with what it printed. */
record CommandRun(int status, String out, String err) {
    static CommandRun of(String... args) {
        return run(Main.commandLine(Hub.fromEnvironment(), LoadOptions.defaults(), List.of(args)), args);
    }

    /**
     * A run that fetches Hub models with these settings rather than the environment's, and keeps no
     * optimized graphs: models in temporary folders would leave one in the user's cache on every run.
     */
    static CommandRun withHub(Hub hub, String... args) {
        return run(Main.commandLine(hub, LoadOptions.defaults().withCacheDirectory(null), List.of(args)), args);
    }

    private static CommandRun run(picocli.CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = commandLine
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CommandRun(status, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
