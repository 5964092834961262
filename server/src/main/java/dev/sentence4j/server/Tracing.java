package dev.sentence4j.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * OpenTelemetry traces of the requests, sent to an OTLP/HTTP collector when one is configured, as TEI's
 * {@code --otlp-endpoint} does: one server span per request, named {@code METHOD /route}, with HTTP's
 * semantic attributes, joining the caller's trace when the request carries a W3C {@code traceparent}.
 * Off, it costs nothing.
 */
final class Tracing implements AutoCloseable {
    /** No tracing. */
    static final Tracing OFF = new Tracing(null, null);

    private static final TextMapGetter<HttpFields> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpFields fields) {
            return fields.getFieldNamesCollection();
        }

        @Override
        public String get(HttpFields fields, String key) {
            return fields == null ? null : fields.get(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /**
     * Traces sent to a collector's base address ({@code /v1/traces} is added), under the service name
     * {@code OTEL_SERVICE_NAME} gives, else {@code sentence4j}.
     */
    static Tracing otlp(URI endpoint) {
        String base = endpoint.toString().replaceAll("/+$", "");
        String service = System.getenv("OTEL_SERVICE_NAME");
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
                service == null || service.isBlank() ? "sentence4j" : service)));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces")
                        .build()).build())
                .build();
        return new Tracing(provider, provider.get("dev.sentence4j.server"));
    }

    /**
     * The callback that answers a request, ending the request's span once the reply is written.
     *
     * @param route the route's path, or {@code null} for a path the server does not serve
     */
    Callback traced(Request request, Response response, Callback callback, String route) {
        if (tracer == null) {
            return callback;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request.getHeaders(), HEADERS);
        String method = request.getMethod();
        Span span = tracer.spanBuilder(route == null ? method : method + " " + route).setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute("http.request.method", method)
                .setAttribute("url.path", request.getHttpURI().getPath())
                .startSpan();
        if (route != null) {
            span.setAttribute("http.route", route);
        }
        return new Callback() {
            @Override
            public void succeeded() {
                end(span, response.getStatus(), null);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                end(span, response.getStatus(), x);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    private static void end(Span span, int status, Throwable failure) {
        span.setAttribute("http.response.status_code", status);
        if (failure != null) {
            span.recordException(failure);
        }
        if (status >= 500 || failure != null) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Sends the spans still buffered, waiting a few seconds at most for the collector. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
