/**
 * JMH benchmarks that run sentence4j and LangChain4j's in-process embedding models side by side on
 * the same sentences, so a speed ratio comes from one run on one machine. See BENCHMARKS.md.
 */
package dev.sentence4j.bench;
