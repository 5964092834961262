package dev.sentence4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.Shared;
import dev.sentence4j.TestModels;
import dev.sentence4j.server.grpc.tei.EmbedGrpc;
import dev.sentence4j.server.grpc.tei.EmbedRequest;
import dev.sentence4j.server.grpc.tei.EmbedResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** gRPC calls share the HTTP server's slots of {@code --max-concurrent-requests}: one too many is {@code RESOURCE_EXHAUSTED}, as in TEI. */
class GrpcLimitsTest {

    @Test
    void aCallBeyondTheConcurrentRequestsIsResourceExhausted() throws Exception {
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        GatedEncoder encoder = new GatedEncoder(model);
        EmbeddingServer server = EmbeddingServer.start(model, TestServer.loopback().withGrpcPort(0).withMaxConcurrentRequests(1),
                encoder);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort().orElseThrow()).usePlaintext().build();
        try {
            EmbedRequest request = EmbedRequest.newBuilder().setInputs("A man is playing a guitar.").build();
            ListenableFuture<EmbedResponse> holding = EmbedGrpc.newFutureStub(channel).embed(request);
            encoder.awaitEntered();

            assertThatThrownBy(() -> EmbedGrpc.newBlockingStub(channel).embed(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("overloaded", "--max-concurrent-requests");
                    });
            encoder.open();
            assertThat(holding.get(30, TimeUnit.SECONDS).getEmbeddingsCount()).isEqualTo(model.dimension());
        } finally {
            encoder.open();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
    }
}
