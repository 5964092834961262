package dev.sentence4j.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A bidirectional stream of TEI's ({@code EmbedStream}, {@code PredictStream}, ...): each message runs as
 * its unary call would, several at once so that they share batches, and the replies go back in the
 * messages' order. The first failure ends the stream with its status, as TEI ends it. Flow control
 * holds at most {@link #WINDOW} messages unanswered: a client that sends faster waits, rather than
 * filling the server's memory or its slots of {@code --max-concurrent-requests}.
 */
final class GrpcOrderedStream<I, O> implements StreamObserver<I> {
    /** The most messages of one stream running at once. */
    static final int WINDOW = 32;

    private final ServerCallStreamObserver<O> responses;
    private final Function<I, CompletableFuture<O>> call;
    private final Queue<CompletableFuture<O>> pending = new ArrayDeque<>();
    private boolean inputDone;
    private boolean ended;

    /**
     * @param call the message's unary call
     */
    GrpcOrderedStream(StreamObserver<O> responses, Function<I, CompletableFuture<O>> call) {
        this.responses = (ServerCallStreamObserver<O>) responses;
        this.call = call;
        this.responses.disableAutoRequest();
        // A cancelled call drops what is still running; without a handler, the next reply would throw.
        this.responses.setOnCancelHandler(this::cancelled);
        this.responses.request(WINDOW);
    }

    @Override
    public void onNext(I message) {
        CompletableFuture<O> reply = call.apply(message);
        synchronized (this) {
            if (ended) {
                return;
            }
            pending.add(reply);
        }
        reply.whenComplete((answer, error) -> drain());
    }

    @Override
    public void onError(Throwable error) {
        cancelled();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            inputDone = true;
        }
        drain();
    }

    /** Sends the replies that are ready, in order; ends the stream at the first failure or after the last reply. */
    private synchronized void drain() {
        while (!ended && !pending.isEmpty() && pending.peek().isDone()) {
            O answer;
            try {
                answer = pending.remove().join();
            } catch (CompletionException e) {
                ended = true;
                pending.clear();
                responses.onError(GrpcStatus.of(ApiException.from(e)).asRuntimeException());
                return;
            }
            responses.onNext(answer);
            responses.request(1);
        }
        if (!ended && inputDone && pending.isEmpty()) {
            ended = true;
            responses.onCompleted();
        }
    }

    private synchronized void cancelled() {
        ended = true;
        pending.clear();
    }
}
