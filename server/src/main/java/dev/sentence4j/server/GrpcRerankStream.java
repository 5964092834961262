package dev.sentence4j.server;

import dev.sentence4j.server.grpc.tei.Metadata;
import dev.sentence4j.server.grpc.tei.Rank;
import dev.sentence4j.server.grpc.tei.RerankGrpc;
import dev.sentence4j.server.grpc.tei.RerankResponse;
import dev.sentence4j.server.grpc.tei.RerankStreamRequest;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code RerankStream} call: pairs arrive one message each, and one reply ranks them all once the
 * client is done. Each message may name its own query, so runs of messages with the same query (and
 * truncation) are scored together, up to {@code --max-client-batch-size} texts a request, while the
 * rest still arrive; at most {@link #LANES} such requests of one stream run at once. As in TEI,
 * {@code raw_scores} and {@code return_text} are the first message's, and the first failure fails the call.
 */
final class GrpcRerankStream implements StreamObserver<RerankStreamRequest> {
    /** The most requests of one stream running at once. */
    static final int LANES = 4;

    private final GrpcRerank rerank;
    private final int chunkSize;
    private final StreamObserver<RerankResponse> responses;
    private final long start = System.nanoTime();
    /** The call's context, with its {@code model} header: a lane's next request starts on whichever thread ended the last. */
    private final Context context = Context.current();
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Void>[] lanes = new CompletableFuture[LANES];
    private final List<Rank> ranks = new ArrayList<>();
    private final long[] totals = new long[5];
    private RerankStreamRequest first;
    private RerankStreamRequest chunkHead;
    private final List<String> chunk = new ArrayList<>();
    private int chunkStart;
    private int count;
    private int chunks;

    GrpcRerankStream(GrpcRerank rerank, int chunkSize, StreamObserver<RerankResponse> responses) {
        this.rerank = rerank;
        this.chunkSize = chunkSize;
        this.responses = responses;
        Arrays.fill(lanes, CompletableFuture.completedFuture(null));
    }

    @Override
    public void onNext(RerankStreamRequest message) {
        if (first == null) {
            first = message;
        }
        if (chunkHead != null && (!chunkHead.getQuery().equals(message.getQuery()) || chunkHead.getTruncate() != message.getTruncate()
                || chunkHead.getTruncationDirection() != message.getTruncationDirection() || chunk.size() == chunkSize)) {
            flush();
        }
        if (chunk.isEmpty()) {
            chunkHead = message;
            chunkStart = count;
        }
        chunk.add(message.getText());
        count++;
    }

    /** Scores the run of pairs gathered so far, on the next lane, after that lane's previous request. */
    private void flush() {
        List<String> texts = List.copyOf(chunk);
        RerankStreamRequest head = chunkHead;
        int offset = chunkStart;
        boolean raw = first.getRawScores();
        boolean returnText = first.getReturnText();
        TruncationDirection direction = head.getTruncationDirection();
        int lane = chunks++ % LANES;
        lanes[lane] = lanes[lane].thenCompose(done -> {
            Context previous = context.attach();
            try {
                return rerank.rerank(RerankGrpc.getRerankStreamMethod(), head.getQuery(), texts, head.getTruncate(), raw, returnText,
                        direction);
            } finally {
                context.detach(previous);
            }
        }).handle((reply, error) -> {
            if (error != null) {
                throw renamed(ApiException.from(error), offset);
            }
            add(offset, reply);
            return null;
        });
        chunk.clear();
    }

    /** A failure naming the stream's message at fault ({@code message 13}) rather than its place in one request's {@code texts}. */
    private static ApiException renamed(ApiException e, int offset) {
        String param = e.param();
        if (param == null || !param.matches("texts\\[\\d+\\].*")) {
            return e;
        }
        String message = "message " + (offset + Integer.parseInt(param.substring("texts[".length(), param.indexOf(']'))));
        return new ApiException(e.failure(), e.getMessage().replace(param, message + " (its query and text)"),
                message);
    }

    private synchronized void add(int offset, RerankResponse reply) {
        for (Rank rank : reply.getRanksList()) {
            ranks.add(rank.toBuilder().setIndex(rank.getIndex() + offset).build());
        }
        Metadata metadata = reply.getMetadata();
        totals[0] += metadata.getComputeChars();
        totals[1] += metadata.getComputeTokens();
        totals[2] += metadata.getTokenizationTimeNs();
        totals[3] += metadata.getQueueTimeNs();
        totals[4] += metadata.getInferenceTimeNs();
    }

    /** Every pair's rank, best first (equal scores in the order sent, as sentence-transformers' rank), and the stream's totals. */
    private synchronized RerankResponse reply(int requests) {
        List<Rank> all = new ArrayList<>(ranks);
        all.sort(Comparator.comparingDouble(Rank::getScore).reversed().thenComparingInt(Rank::getIndex));
        return RerankResponse.newBuilder().addAllRanks(all).setMetadata(Metadata.newBuilder()
                .setComputeChars((int) totals[0]).setComputeTokens((int) totals[1])
                .setTotalTimeNs(System.nanoTime() - start)
                // TEI reports each stage's mean over the stream's pairs; here, over its requests.
                .setTokenizationTimeNs(totals[2] / requests).setQueueTimeNs(totals[3] / requests)
                .setInferenceTimeNs(totals[4] / requests)).build();
    }

    @Override
    public void onError(Throwable error) {
        // The client cancelled: the requests already sent finish, and nobody hears of them.
    }

    @Override
    public void onCompleted() {
        if (first == null) {
            responses.onError(GrpcStatus.of(new ApiException(Failure.EMPTY, "the stream held no texts: send at least one",
                    "text")).asRuntimeException());
            return;
        }
        flush();
        int requests = chunks;
        CompletableFuture.allOf(lanes).whenComplete((done, error) -> {
            if (error != null) {
                responses.onError(GrpcStatus.of(ApiException.from(error)).asRuntimeException());
                return;
            }
            responses.onNext(reply(requests));
            responses.onCompleted();
        });
    }
}
