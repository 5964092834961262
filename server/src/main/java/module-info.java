/** sentence4j's server: Hugging Face TEI's and OpenAI's embeddings APIs over HTTP on Jetty, and TEI's gRPC API on grpc-java. */
module dev.sentence4j.server {
    requires transitive dev.sentence4j.core;
    requires org.eclipse.jetty.server;
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;
    requires io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires io.grpc.services;
    requires io.grpc.netty.shaded;
    requires com.google.protobuf;
    requires com.google.common;

    exports dev.sentence4j.server;
}
