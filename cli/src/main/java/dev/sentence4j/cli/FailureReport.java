package dev.sentence4j.cli;

import dev.sentence4j.hub.HubException;
import dev.sentence4j.model.ModelLoadException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Tells the user about a failure in one line on stderr, {@code sentence4j: <what went wrong>}, and
 * picks the exit status: 2 for a usage error, 1 for anything else. The stack trace shows only with
 * {@code --verbose}.
 */
final class FailureReport implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final BooleanSupplier verbose;

    FailureReport(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String suggestions = e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()
                ? " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)"
                : "";
        print(command.getErr(), e.getMessage() + suggestions
                + "; see '" + command.getCommandSpec().qualifiedName() + " --help'", e);
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (ProcessStop.PROCESS.stopping()) {
            // The stop closed what the command was using; it tells the user itself.
            return command.getCommandSpec().exitCodeOnExecutionException();
        }
        print(command.getErr(), message(e), e);
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private void print(PrintWriter err, String message, Exception e) {
        err.println(Main.NAME + ": " + message);
        if (verbose.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** Expected failures speak for themselves; anything else is a bug, worth a pointer to its stack trace. */
    private static String message(Exception e) {
        if (e instanceof CliException || e instanceof ModelLoadException || e instanceof HubException) {
            return e.getMessage();
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        return message + " (" + e.getClass().getSimpleName() + "; --verbose shows where)";
    }
}
