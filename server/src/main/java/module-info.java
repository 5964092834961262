/** sentence4j's HTTP server: Hugging Face TEI's and OpenAI's embeddings APIs on Jetty. */
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

    exports dev.sentence4j.server;
}
