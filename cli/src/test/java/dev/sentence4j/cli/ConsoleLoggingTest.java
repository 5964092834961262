package dev.sentence4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
    private final ConsoleLogging.OneLine format = new ConsoleLogging.OneLine();

    @Test
    void aWarningIsOneLine() {
        LogRecord record = new LogRecord(Level.WARNING, "{0} has no {1}:\n  using mean pooling");
        record.setParameters(new Object[] {"/models/x", "modules.json"});

        assertThat(format.format(record))
                .isEqualTo("sentence4j: warning: /models/x has no modules.json: using mean pooling" + System.lineSeparator());
    }

    @Test
    void severeIsAnError() {
        assertThat(format.format(new LogRecord(Level.SEVERE, "broken"))).startsWith("sentence4j: error: broken");
    }
}
