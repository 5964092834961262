/**
 * sentence4j on Apache Spark: {@link dev.sentence4j.spark.SentenceEmbedder}, an ML {@code Transformer}
 * that adds a column of sentence vectors; {@link dev.sentence4j.spark.SentenceFunctions}, the same as
 * a SQL function; and {@link dev.sentence4j.spark.EncodeJob}, a ready job from files to files. Each
 * executor loads a model once and shares it among its tasks, and
 * {@link dev.sentence4j.spark.Sentence4jPlugin} closes it when the executor stops; vectors equal what
 * {@code encode} gives.
 */
package dev.sentence4j.spark;
