package dev.sentence4j.server;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.EmbedRequest;
import dev.sentence4j.server.grpc.tei.EmbedResponse;
import dev.sentence4j.server.grpc.tei.InfoGrpc;
import dev.sentence4j.server.grpc.tei.InfoRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping lets a gRPC call in flight finish, and takes no new calls. */
class GrpcShutdownTest {

    @Test
    void aCallInFlightFinishesBeforeTheServerStops() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        GatedEncoder encoder = new GatedEncoder(model);
        EmbeddingServer server = EmbeddingServer.start(model, TestServer.loopback().withGrpcPort(0), encoder);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext().build();
        try {
            String text = "A man is playing a guitar.";
            ListenableFuture<EmbedResponse> inFlight = EmbedGrpc.newFutureStub(channel).embed(EmbedRequest.newBuilder()
                    .setInputs(text).build());
            encoder.awaitEntered();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            awaitRefusal(channel);
            assertThat(stopping).as("stopping waits for the call in flight").isNotDone();
            assertThat(inFlight).isNotDone();
            encoder.open();

            EmbedResponse reply = inFlight.get(30, TimeUnit.SECONDS);
            float[] vector = new float[reply.getEmbeddingsCount()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = reply.getEmbeddings(i);
            }
            assertClose(new float[][] {vector}, model.encode(List.of(text)), REFERENCE_TOLERANCE);
            stopping.get(30, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
    }

    /** Waits until new calls are refused, as they are once the server is stopping. */
    private static void awaitRefusal(ManagedChannel channel) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            try {
                InfoGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS).info(InfoRequest.getDefaultInstance());
            } catch (StatusRuntimeException refused) {
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server still takes calls");
    }
}
