/** The {@code sentence4j} command line. */
module dev.sentence4j.cli {
    requires dev.sentence4j.core;
    requires dev.sentence4j.index;
    requires dev.sentence4j.server;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.logging;
    // sun.misc.Signal, reached by reflection, for Ctrl-C and SIGTERM (StopSignals).
    requires jdk.unsupported;

    // picocli sets the commands' option fields by reflection.
    opens dev.sentence4j.cli to info.picocli;
}
