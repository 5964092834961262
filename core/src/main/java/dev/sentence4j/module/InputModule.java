package dev.sentence4j.module;

import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.ChatTemplate;
import dev.sentence4j.tokenize.Tokenizer;
import java.util.Map;
import java.util.Optional;

/**
 * The module a pipeline starts with: it owns the tokenizer of its branch and turns a padded batch into
 * the first features (token vectors, sentence vectors or scores). Implementations are thread-safe.
 */
public interface InputModule extends Module, AutoCloseable {
    /** The tokenizer that makes this module's inputs. */
    Tokenizer tokenizer();

    /** The features one padded batch starts with. */
    Features features(BatchEncoding batch);

    /** What {@link #features} gives. */
    Feature gives();

    /** The width of what {@link #features} gives per token or text, or 0 where only running tells. */
    int width();

    /** Where the width comes from, for messages: the graph or table file. */
    String source();

    /** Facts about this module for a model's description: its files, graph and inputs, by name. */
    Map<String, Object> facts();

    /** The chat template pairs are rendered with, where the folder asks for one (an LLM reranker's); none by default. */
    default Optional<ChatTemplate> chatTemplate() {
        return Optional.empty();
    }

    /** Frees native resources; closing again does nothing. */
    @Override
    void close();
}
