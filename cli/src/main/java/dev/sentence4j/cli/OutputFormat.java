package dev.sentence4j.cli;

/** How a command prints its results. */
enum OutputFormat {
    /** Aligned lines for people to read. */
    TABLE,
    /** One JSON document, for programs. */
    JSON
}
