/** sentence4j: sentence embeddings, as Python's sentence-transformers computes them, on ONNX Runtime. */
module dev.sentence4j.core {
    requires transitive com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires ai.djl.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.csv;
    requires jinjava;
    // The graph builder's ONNX classes, generated from onnx.proto.
    requires com.google.protobuf;

    exports dev.sentence4j;
    exports dev.sentence4j.evaluation;
    exports dev.sentence4j.hub;
    exports dev.sentence4j.io;
    exports dev.sentence4j.layer;
    exports dev.sentence4j.model;
    exports dev.sentence4j.module;
    exports dev.sentence4j.multivector;
    exports dev.sentence4j.pool;
    exports dev.sentence4j.quantize;
    exports dev.sentence4j.search;
    exports dev.sentence4j.similarity;
    exports dev.sentence4j.tokenize;
    exports dev.sentence4j.transformer;
    exports dev.sentence4j.files to dev.sentence4j.cli;
}
