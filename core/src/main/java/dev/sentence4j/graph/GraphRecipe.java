package dev.sentence4j.graph;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to build a graph, and what it is built from: enough for the Transformer module to find the graph
 * it built and optimized on an earlier load, without building it again.
 *
 * @param source what the graph is built from, for messages
 * @param key everything besides the files that shapes the graph (builder version, configuration, options)
 * @param files the files it is built from (configuration and weights), fingerprinted for the cache key
 * @param build builds the graph when no cached one fits
 */
public record GraphRecipe(String source, String key, List<Path> files, Supplier<BuiltGraph> build) {
    public GraphRecipe {
        files = List.copyOf(files);
    }
}
