/**
 * The {@code sentence4j} command line: {@code similarity}, {@code encode}, {@code search},
 * {@code paraphrases}, {@code index build|query}, {@code eval sts}, {@code info}, {@code serve},
 * {@code bench} and {@code download}, started by {@link dev.sentence4j.cli.Main} (usually through
 * {@code bin/sentence4j}).
 */
package dev.sentence4j.cli;
