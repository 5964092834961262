package dev.sentence4j.cli;

/**
 * One text of an input file.
 *
 * @param line the line of the file it was read from, counting from 1
 * @param text the text
 */
record InputText(int line, String text) {}
