package dev.sentence4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model the server serves: what it is, how its family answers each path, and what it holds of
 * its own: batchers, slots of {@code --max-concurrent-requests}, metrics. Models served together
 * share nothing but the HTTP server, so a busy model neither queues nor refuses another's requests.
 */
final class HostedModel implements AutoCloseable {
    /** How a family answers one path, given the request's body. */
    @FunctionalInterface
    interface Handler {
        /** The reply; an {@link ApiException}, thrown or as the future's failure, becomes an error reply. */
        CompletableFuture<Reply> run(JsonRequest request);
    }

    /** A family's handlers, by path, built from the model's parts. */
    @FunctionalInterface
    interface Family {
        Map<String, Handler> build(Parts parts);
    }

    /** What a family's handlers are built from: batchers that close with the model, and the requests' path to them. */
    static final class Parts {
        private final ServedModel served;
        private final ServerOptions options;
        private final ModelMetrics metrics;
        private final Executor replies;
        private final TeiInfoApi tokenizerApi;
        private final List<Batcher<?, ?, ?>> batchers = new ArrayList<>();

        private Parts(ServedModel served, ServerOptions options, ModelMetrics metrics, Executor replies, TeiInfoApi tokenizerApi) {
            this.served = served;
            this.options = options;
            this.metrics = metrics;
            this.replies = replies;
            this.tokenizerApi = tokenizerApi;
        }

        ServedModel served() {
            return served;
        }

        ServerOptions options() {
            return options;
        }

        /** The routes every family answers from the tokenizer and the model's description. */
        TeiInfoApi tokenizerApi() {
            return tokenizerApi;
        }

        /** Requests tokenized by the model's {@code tokenize}, merged into batches that the model runs. */
        <I, K, O> BatchedRequests<I, K, O> requests(BatchedRequests.Tokenize<I, K> tokenize, Batcher.Model<I, O> model) {
            Batcher<I, K, O> batcher = new Batcher<>(model, options.maxBatchTokens(), metrics);
            batchers.add(batcher);
            return new BatchedRequests<>(tokenize, batcher, served.maxSeqLength(), metrics, replies);
        }
    }

    private final ServedModel served;
    private final ServerOptions options;
    private final Map<String, Handler> handlers;
    private final List<Batcher<?, ?, ?>> batchers;
    private final AtomicInteger inFlight;
    private final Map<String, Object> info;

    private HostedModel(ServedModel served, ServerOptions options, Map<String, Handler> handlers, List<Batcher<?, ?, ?>> batchers,
            AtomicInteger inFlight, Map<String, Object> info) {
        this.served = served;
        this.info = info;
        this.options = options;
        this.handlers = Map.copyOf(handlers);
        this.batchers = List.copyOf(batchers);
        this.inFlight = inFlight;
    }

    /**
     * Builds a model's handlers, with batchers and metrics of its own.
     *
     * @param replies where requests continue once their batch is done
     * @param handlerThreads the threads that parse and tokenize requests, which {@code /info} reports
     */
    static HostedModel host(ServedModel served, ServerOptions options, Metrics metrics, Executor replies, int handlerThreads,
            Family family) {
        AtomicInteger inFlight = new AtomicInteger();
        TeiInfoApi tokenizerApi = new TeiInfoApi(served, options, handlerThreads);
        Parts parts = new Parts(served, options, metrics.model(served.name(), inFlight::get), replies, tokenizerApi);
        Map<String, Handler> handlers;
        try {
            handlers = family.build(parts);
        } catch (RuntimeException e) {
            parts.batchers.forEach(Batcher::close);
            throw e;
        }
        return new HostedModel(served, options, handlers, parts.batchers, inFlight, tokenizerApi.info());
    }

    ServedModel served() {
        return served;
    }

    /** What TEI's {@code /info} says of the model and the server's limits. */
    Map<String, Object> info() {
        return info;
    }

    /** How the model's family answers a path; {@code null} if it does not. */
    Handler handler(String path) {
        return handlers.get(path);
    }

    /** The paths the model's family answers. */
    Set<String> paths() {
        return handlers.keySet();
    }

    /**
     * Runs a handler on a request, holding one of the model's slots while it runs if it uses the model.
     *
     * @throws ApiException 429 if every slot is taken
     */
    CompletableFuture<Reply> run(Handler handler, boolean usesModel, JsonRequest request) {
        if (!usesModel) {
            return handler.run(request);
        }
        if (inFlight.incrementAndGet() > options.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            throw new ApiException(Failure.OVERLOADED, "the model " + served.name() + " is overloaded: "
                    + options.maxConcurrentRequests() + " of its requests are in flight, the most the server takes"
                    + " (--max-concurrent-requests); retry later", null);
        }
        try {
            return handler.run(request).whenComplete((reply, error) -> inFlight.decrementAndGet());
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }

    /** Takes no new requests, fails those still queued, and waits for the batches running. */
    @Override
    public void close() {
        batchers.forEach(Batcher::close);
    }
}
