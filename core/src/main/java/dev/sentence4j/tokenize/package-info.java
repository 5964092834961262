/**
 * Tokenization: turns a batch of texts into the model inputs ({@code input_ids},
 * {@code attention_mask}, {@code token_type_ids}) with the model's own {@code tokenizer.json}, following
 * sentence-transformers' stripping, lowercasing, truncation and per-batch padding; and the chat
 * templates ({@link dev.sentence4j.tokenize.ChatTemplate}) LLM rerankers render their pairs with.
 */
package dev.sentence4j.tokenize;
