package dev.sentence4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j eval}: how well a model does on a benchmark; the benchmarks are its subcommands. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Evaluates a model on a benchmark.",
        subcommands = EvalStsCommand.class)
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
