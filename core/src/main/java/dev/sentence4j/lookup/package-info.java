/**
 * Input modules that look vectors up in a saved token table instead of running a network: no ONNX
 * Runtime, a text's vector from its tokens' rows.
 */
package dev.sentence4j.lookup;
