/**
 * Benchmarks. JMH ones run sentence4j and LangChain4j's in-process embedding models side by side on
 * the same sentences, so a speed ratio comes from one run on one machine; {@link
 * dev.sentence4j.bench.IndexRecall}, a main class, sets the vector index against exact search on
 * 100,000 sentences. See BENCHMARKS.md.
 */
package dev.sentence4j.bench;
