package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.EncodeOptions;
import dev.sentence4j.LongInputs;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.RankedText;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.SparseVector;
import dev.sentence4j.TestModels;
import dev.sentence4j.TextPair;
import dev.sentence4j.server.grpc.tei.DecodeRequest;
import dev.sentence4j.server.grpc.tei.EmbedAllRequest;
import dev.sentence4j.server.grpc.tei.EmbedAllResponse;
import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.EmbedRequest;
import dev.sentence4j.server.grpc.tei.EmbedResponse;
import dev.sentence4j.server.grpc.tei.EmbedSparseRequest;
import dev.sentence4j.server.grpc.tei.EmbedSparseResponse;
import dev.sentence4j.server.grpc.tei.EncodeRequest;
import dev.sentence4j.server.grpc.tei.EncodeResponse;
import dev.sentence4j.server.grpc.tei.InfoGrpc;
import dev.sentence4j.server.grpc.tei.InfoRequest;
import dev.sentence4j.server.grpc.tei.InfoResponse;
import dev.sentence4j.server.grpc.tei.ModelType;
import dev.sentence4j.server.grpc.tei.PredictGrpc;
import dev.sentence4j.server.grpc.tei.PredictPairRequest;
import dev.sentence4j.server.grpc.tei.PredictResponse;
import dev.sentence4j.server.grpc.tei.Rank;
import dev.sentence4j.server.grpc.tei.RerankGrpc;
import dev.sentence4j.server.grpc.tei.RerankRequest;
import dev.sentence4j.server.grpc.tei.RerankResponse;
import dev.sentence4j.server.grpc.tei.RerankStreamRequest;
import dev.sentence4j.server.grpc.tei.SimpleToken;
import dev.sentence4j.server.grpc.tei.TokenizeGrpc;
import dev.sentence4j.server.grpc.tei.TruncationDirection;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TEI's gRPC API driven by grpc-java stubs generated from TEI's own proto, against an embedder, a
 * reranker and a SPLADE encoder served at once: the replies equal the library's own results, and
 * refusals carry TEI's status codes.
 */
class GrpcApiTest {
    private static final String QUERY = "A man is playing a guitar.";
    private static final List<String> TEXTS = Shared.lines("fixtures/st6/public.txt").subList(0, 6);
    private static final int PAYLOAD_LIMIT = 20_000;
    private static SentenceTransformer embedder;
    private static CrossEncoder reranker;
    private static SparseEncoder sparse;
    private static EmbeddingServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        embedder = TestModels.get(Shared.MINILM);
        reranker = CrossEncoder.load(Shared.path("fixtures/st6/models/cross-encoder-bert").toString());
        sparse = SparseEncoder.load(Shared.path("fixtures/st6/models/splade-bert").toString());
        server = EmbeddingServer.start(List.of(embedder, reranker, sparse), TestServer.loopback().withGrpcPort(0)
                .withMaxClientBatchSize(4).withPayloadLimit(PAYLOAD_LIMIT));
        channel = channel(server);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        reranker.close();
        sparse.close();
    }

    private static ManagedChannel channel(EmbeddingServer server) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext().build();
    }

    /** A stub whose calls name a model in the {@code model} header. */
    private static <S extends AbstractStub<S>> S model(S stub, String name) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("model", Metadata.ASCII_STRING_MARSHALLER), name);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    @Test
    void embedGivesTheFirstModelsVectorsWithTeisMetadata() {
        EmbedGrpc.EmbedBlockingStub embed = EmbedGrpc.newBlockingStub(channel);
        float[][] expected = embedder.encode(TEXTS);

        for (int i = 0; i < TEXTS.size(); i++) {
            EmbedResponse reply = embed.embed(EmbedRequest.newBuilder().setInputs(TEXTS.get(i)).build());
            assertClose(floats(reply.getEmbeddingsList()), expected[i], REFERENCE_TOLERANCE);
            assertThat(reply.getMetadata().getComputeTokens()).isEqualTo(embedder.tokenizer().tokenize(List.of(TEXTS.get(i))).get(0).length());
            assertThat(reply.getMetadata().getComputeChars()).isEqualTo(TEXTS.get(i).length());
            assertThat(reply.getMetadata().getTotalTimeNs()).isPositive();
        }
    }

    @Test
    void embedTakesNormalizeAndDimensions() {
        EmbedResponse reply = EmbedGrpc.newBlockingStub(channel).embed(EmbedRequest.newBuilder().setInputs(TEXTS.get(0))
                .setNormalize(false).setDimensions(64).build());

        float[] expected = embedder.encode(TEXTS.subList(0, 1), EncodeOptions.defaults().withNormalize(false).withTruncateDim(64))[0];
        assertThat(reply.getEmbeddingsCount()).isEqualTo(64);
        assertClose(floats(reply.getEmbeddingsList()), expected, REFERENCE_TOLERANCE);
    }

    @Test
    void embedStreamAnswersEachMessageInOrder() throws Exception {
        List<EmbedResponse> replies = new ArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<EmbedRequest> requests = EmbedGrpc.newStub(channel).embedStream(repliesInto(replies, ended));
        for (String text : TEXTS) {
            requests.onNext(EmbedRequest.newBuilder().setInputs(text).build());
        }
        requests.onCompleted();
        assertThat(ended.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);

        float[][] expected = embedder.encode(TEXTS);
        assertThat(replies).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertClose(floats(replies.get(i).getEmbeddingsList()), expected[i], REFERENCE_TOLERANCE);
        }
    }

    @Test
    void aStreamEndsWithTheStatusOfItsFirstBadMessage() {
        String tooLong = "word ".repeat(600);
        List<EmbedRequest> messages = List.of(EmbedRequest.newBuilder().setInputs(TEXTS.get(0)).build(),
                EmbedRequest.newBuilder().setInputs(tooLong).build());
        CompletableFuture<Status> ended = new CompletableFuture<>();
        List<EmbedResponse> received = new ArrayList<>();
        StreamObserver<EmbedRequest> requests = EmbedGrpc.newStub(channel).embedStream(repliesInto(received, ended));
        messages.forEach(requests::onNext);
        requests.onCompleted();

        Status status = ended.join();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("tokens, more than the 256 the model takes");
        assertThat(received).hasSize(1);
    }

    @Test
    void embedAllGivesEachTokensVector() {
        EmbedAllResponse reply = EmbedGrpc.newBlockingStub(channel).embedAll(EmbedAllRequest.newBuilder().setInputs(TEXTS.get(1)).build());

        float[][] expected = embedder.encodeTokens(TEXTS.subList(1, 2), EncodeOptions.defaults()).get(0);
        assertThat(reply.getTokenEmbeddingsCount()).isEqualTo(expected.length);
        for (int t = 0; t < expected.length; t++) {
            assertClose(floats(reply.getTokenEmbeddings(t).getEmbeddingsList()), expected[t], REFERENCE_TOLERANCE);
        }
    }

    @Test
    void theModelHeaderPicksTheSparseEncoder() {
        EmbedSparseResponse reply = model(EmbedGrpc.newBlockingStub(channel), "splade-bert")
                .embedSparse(EmbedSparseRequest.newBuilder().setInputs(TEXTS.get(2)).build());

        SparseVector expected = sparse.encode(TEXTS.subList(2, 3)).get(0);
        assertThat(reply.getSparseEmbeddingsCount()).isEqualTo(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            assertThat(reply.getSparseEmbeddings(k).getIndex()).isEqualTo(expected.indices()[k]);
            assertThat(reply.getSparseEmbeddings(k).getValue()).isCloseTo(expected.values()[k], within(1e-5f));
        }
    }

    @Test
    void rerankRanksAsTheModelRanks() {
        RerankResponse reply = model(RerankGrpc.newBlockingStub(channel), "cross-encoder-bert").rerank(RerankRequest.newBuilder()
                .setQuery(QUERY).addAllTexts(TEXTS.subList(0, 4)).setReturnText(true).build());

        List<RankedText> expected = reranker.rank(QUERY, TEXTS.subList(0, 4), 4);
        assertThat(reply.getRanksCount()).isEqualTo(4);
        for (int r = 0; r < 4; r++) {
            Rank rank = reply.getRanks(r);
            assertThat(rank.getIndex()).isEqualTo(expected.get(r).index());
            assertThat(rank.getScore()).isCloseTo(expected.get(r).score(), within(1e-6f));
            assertThat(rank.getText()).isEqualTo(TEXTS.get(rank.getIndex()));
        }
    }

    @Test
    void rerankStreamRanksEveryPairSentOverSeveralRequests() {
        CompletableFuture<RerankResponse> answer = new CompletableFuture<>();
        StreamObserver<RerankStreamRequest> pairs = model(RerankGrpc.newStub(channel), "cross-encoder-bert")
                .rerankStream(replyInto(answer));
        // 22 texts, four a request at most, two queries: seven requests, more than the four a stream runs at once.
        List<String> texts = Shared.lines("fixtures/st6/public.txt").subList(10, 32);
        String other = "A woman slices an onion.";
        for (int i = 0; i < texts.size(); i++) {
            pairs.onNext(RerankStreamRequest.newBuilder().setQuery(i < 11 ? QUERY : other).setText(texts.get(i)).setRawScores(true)
                    .setTruncate(true).build());
        }
        pairs.onCompleted();

        RerankResponse reply = answer.join();
        List<TextPair> sent = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            sent.add(new TextPair(i < 11 ? QUERY : other, texts.get(i)));
        }
        float[] logits = reranker.predict(sent, PredictOptions.defaults().withApplyActivation(false).withLongInputs(LongInputs.TRUNCATE));
        assertThat(reply.getRanksList()).extracting(Rank::getIndex).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, texts.size()).boxed().toList());
        for (int r = 0; r < reply.getRanksCount(); r++) {
            Rank rank = reply.getRanks(r);
            assertThat(rank.getScore()).isCloseTo(logits[rank.getIndex()], within(1e-5f));
            assertThat(rank.hasText()).isFalse();
            if (r > 0) {
                assertThat(rank.getScore()).isLessThanOrEqualTo(reply.getRanks(r - 1).getScore());
            }
        }
    }

    @Test
    void aRerankStreamNamesTheMessageThatFails() {
        CompletableFuture<RerankResponse> answer = new CompletableFuture<>();
        StreamObserver<RerankStreamRequest> pairs = model(RerankGrpc.newStub(channel), "cross-encoder-bert")
                .rerankStream(replyInto(answer));
        for (int i = 0; i < 7; i++) {
            pairs.onNext(RerankStreamRequest.newBuilder().setQuery(QUERY).setText(i == 5 ? "word ".repeat(100) : TEXTS.get(i % 4))
                    .build());
        }
        pairs.onCompleted();

        assertThatThrownBy(answer::join).hasCauseInstanceOf(StatusRuntimeException.class).cause().satisfies(e -> {
            Status status = ((StatusRuntimeException) e).getStatus();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("message 5 (its query and text) has");
        });
    }

    @Test
    void predictPairScoresThePairAsTheModelDoes() {
        PredictResponse reply = model(PredictGrpc.newBlockingStub(channel), "cross-encoder-bert")
                .predictPair(PredictPairRequest.newBuilder().addInputs(QUERY).addInputs(TEXTS.get(3)).build());

        float expected = reranker.predict(List.of(new TextPair(QUERY, TEXTS.get(3))))[0];
        assertThat(reply.getPredictionsCount()).isEqualTo(1);
        assertThat(reply.getPredictions(0).getScore()).isCloseTo(expected, within(1e-6f));
        assertThat(reply.getPredictions(0).getLabel()).isEqualTo(reranker.labels().get(0));
    }

    @Test
    void tokenizeAndDecodeUseTheModelsTokenizer() {
        TokenizeGrpc.TokenizeBlockingStub tokenizer = TokenizeGrpc.newBlockingStub(channel);
        EncodeResponse tokens = tokenizer.tokenize(EncodeRequest.newBuilder().setInputs("A man plays.").setAddSpecialTokens(true).build());

        long[] expected = embedder.tokenizer().tokenize(List.of("A man plays.")).get(0).ids();
        assertThat(tokens.getTokensList()).extracting(token -> (long) token.getId()).containsExactly(
                Arrays.stream(expected).boxed().toArray(Long[]::new));
        assertThat(tokens.getTokens(0).getSpecial()).isTrue();
        assertThat(tokens.getTokens(0).hasStart()).isFalse();
        assertThat(tokens.getTokens(1).getText()).isEqualTo("A");
        assertThat(tokens.getTokens(1).getStart()).isZero();
        assertThat(tokens.getTokens(1).getStop()).isEqualTo(1);
        String text = tokenizer.decode(DecodeRequest.newBuilder().addAllIds(tokens.getTokensList().stream().map(SimpleToken::getId)
                .toList()).setSkipSpecialTokens(true).build()).getText();
        // MiniLM's tokenizer lowercases.
        assertThat(text).isEqualTo("a man plays.");
    }

    @Test
    void infoDescribesTheModelTheHeaderNames() {
        InfoResponse first = InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
        InfoResponse reranking = model(InfoGrpc.newBlockingStub(channel), "cross-encoder-bert").info(InfoRequest.getDefaultInstance());

        assertThat(first.getModelId()).isEqualTo(Shared.MINILM);
        assertThat(first.getModelType()).isEqualTo(ModelType.MODEL_TYPE_EMBEDDING);
        assertThat(first.getMaxClientBatchSize()).isEqualTo(4);
        assertThat(first.getMaxInputLength()).isEqualTo(256);
        assertThat(reranking.getModelId()).endsWith("cross-encoder-bert");
        assertThat(reranking.getModelType()).isEqualTo(ModelType.MODEL_TYPE_RERANKER);
    }

    @Test
    void healthSaysWhichServicesAModelAnswers() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

        for (String service : List.of("tei.v1.Embed", "tei.v1.Rerank", "tei.v1.Predict", "tei.v1.Info", "tei.v1.Tokenize")) {
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                    .as(service).isEqualTo(ServingStatus.SERVING);
        }
    }

    @Test
    void anUnknownModelIsNotFoundAndTheServedOnesAreListed() {
        assertThatThrownBy(() -> model(EmbedGrpc.newBlockingStub(channel), "gpt-5").embed(EmbedRequest.newBuilder()
                .setInputs(QUERY).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("'gpt-5'", "all-MiniLM-L6-v2", "cross-encoder-bert",
                            "splade-bert");
                });
    }

    @Test
    void aModelOfTheWrongTypeIsAFailedPrecondition() {
        assertThatThrownBy(() -> RerankGrpc.newBlockingStub(channel).rerank(RerankRequest.newBuilder().setQuery(QUERY)
                .addTexts(TEXTS.get(0)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("cross-encoder-bert");
                });
    }

    @Test
    void badInputIsAnInvalidArgumentNamingTheProblem() {
        RerankGrpc.RerankBlockingStub rerank = model(RerankGrpc.newBlockingStub(channel), "cross-encoder-bert");
        EmbedGrpc.EmbedBlockingStub embed = EmbedGrpc.newBlockingStub(channel);
        String tooLong = "word ".repeat(600);

        assertInvalid(() -> rerank.rerank(RerankRequest.newBuilder().setQuery(QUERY).build()), "empty");
        assertInvalid(() -> rerank.rerank(RerankRequest.newBuilder().setQuery(QUERY).addAllTexts(TEXTS.subList(0, 5)).build()),
                "holds 5 texts, more than the 4");
        assertInvalid(() -> embed.embed(EmbedRequest.newBuilder().setInputs(tooLong).build()), "more than the 256 the model takes");
        assertInvalid(() -> embed.embed(EmbedRequest.newBuilder().setInputs(QUERY)
                .setTruncationDirection(TruncationDirection.TRUNCATION_DIRECTION_LEFT).build()), "Left is not supported");
        assertInvalid(() -> embed.embed(EmbedRequest.newBuilder().setInputs(QUERY).setDimensions(1000).build()),
                "asks for 1000 dimensions");
        assertInvalid(() -> model(PredictGrpc.newBlockingStub(channel), "cross-encoder-bert").predictPair(
                PredictPairRequest.newBuilder().addInputs("a").addInputs("b").addInputs("c").build()), "one or two texts, got 3");
        // Cut rather than refused when the message asks.
        assertThat(embed.embed(EmbedRequest.newBuilder().setInputs(tooLong).setTruncate(true).build()).getEmbeddingsCount())
                .isEqualTo(embedder.dimension());
    }

    /** An observer adding a stream's replies to {@code replies} and completing {@code ended} with how it ended. */
    private static <T> StreamObserver<T> repliesInto(List<T> replies, CompletableFuture<Status> ended) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T reply) {
                replies.add(reply);
            }

            @Override
            public void onError(Throwable error) {
                ended.complete(Status.fromThrowable(error));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        };
    }

    /** An observer of a stream's one reply, completing {@code answer} with it or with the stream's error. */
    private static <T> StreamObserver<T> replyInto(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T reply) {
                answer.complete(reply);
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {}
        };
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    @Test
    void aMessageOverThePayloadLimitIsResourceExhaustedAndTheConnectionStays() {
        EmbedGrpc.EmbedBlockingStub embed = EmbedGrpc.newBlockingStub(channel);

        assertThatThrownBy(() -> embed.embed(EmbedRequest.newBuilder().setInputs("x".repeat(PAYLOAD_LIMIT + 1)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(embed.embed(EmbedRequest.newBuilder().setInputs(QUERY).build()).getEmbeddingsCount()).isEqualTo(embedder.dimension());
    }

    @Test
    void callsAreCountedInTheMetrics() {
        EmbedGrpc.newBlockingStub(channel).embed(EmbedRequest.newBuilder().setInputs(QUERY).build());

        String metrics = new Http(server.uri()).get("/metrics").body();
        assertThat(metrics).contains("te_request_count_total{route=\"tei.v1.Embed/Embed\"}",
                "te_request_success_total{route=\"tei.v1.Embed/Embed\"}");
    }

    @Test
    void anApiKeyIsAskedForAsTeiAsksForIt() throws IOException, InterruptedException {
        try (EmbeddingServer keyed = EmbeddingServer.start(embedder, TestServer.loopback().withGrpcPort(0).withApiKey("s3cret"))) {
            ManagedChannel keyedChannel = channel(keyed);
            try {
                EmbedGrpc.EmbedBlockingStub embed = EmbedGrpc.newBlockingStub(keyedChannel);
                Metadata key = new Metadata();
                key.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer s3cret");

                assertThatThrownBy(() -> embed.embed(EmbedRequest.newBuilder().setInputs(QUERY).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                assertThat(embed.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
                        .embed(EmbedRequest.newBuilder().setInputs(QUERY).build()).getEmbeddingsCount()).isEqualTo(embedder.dimension());
            } finally {
                keyedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
