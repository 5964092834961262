package dev.sentence4j.cli;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Shows java.util.logging, where sentence4j, ONNX Runtime and (through SLF4J) DJL log, as one line per
 * message on stderr: {@code sentence4j: warning: ...}. Warnings and worse only; the rest is noise to a
 * command-line user.
 */
final class ConsoleLogging {
    /**
     * DJL's GPU probe warns on machines with a CUDA toolkit but no usable driver, though sentence4j
     * never uses a GPU. Held here because java.util.logging keeps only weak references to loggers,
     * and a collected logger would forget its level.
     */
    private static final Logger GPU_PROBE = Logger.getLogger("ai.djl.util.cuda");

    private ConsoleLogging() {}

    /** Replaces the JVM's default two-line log format for the whole process. */
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.WARNING);
        handler.setFormatter(new OneLine());
        try {
            handler.setEncoding(StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new AssertionError("every JVM supports UTF-8", e);
        }
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        GPU_PROBE.setLevel(Level.SEVERE);
    }

    /** {@code sentence4j: warning: message}, line breaks inside the message folded into spaces. */
    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
            return Main.NAME + ": " + level + ": " + formatMessage(record).strip().replaceAll("\\s*\\R\\s*", " ")
                    + System.lineSeparator();
        }
    }
}
