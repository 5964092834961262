package dev.sentence4j.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts off a request body that arrives slower than a minimum rate, measured per request from its first
 * read: the next read fails with a {@link TimeoutException}, which {@link Routes} answers with 408. A
 * body that stops arriving altogether is the connector's idle timeout's to end. The rate is checked
 * only after a grace second, so that a small body sent in two packets is not mistaken for a slow one.
 * Jetty's own {@code MinimumDataRateHandler} cannot serve: it divides the bytes the whole server has
 * read by one request's time, so under load it never cuts anyone off.
 */
final class MinimumBodyRate extends Handler.Wrapper {
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long bytesPerSecond;

    /**
     * @param bytesPerSecond the slowest a body may arrive; 0 for no minimum
     */
    MinimumBodyRate(Handler handler, long bytesPerSecond) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(bytesPerSecond > 0 ? new Measured(request) : request, response, callback);
    }

    /** A request whose body's rate is measured as it is read. */
    private final class Measured extends Request.Wrapper {
        private long firstRead;
        private long bytes;
        private Content.Chunk tooSlow;

        Measured(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (tooSlow != null) {
                return tooSlow;
            }
            if (firstRead == 0) {
                firstRead = System.nanoTime();
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytes += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long elapsed = firstRead == 0 ? 0 : System.nanoTime() - firstRead;
            // Behind the minimum by more than a grace second's worth of it.
            if (elapsed > GRACE_NANOS && bytes < bytesPerSecond * ((elapsed - GRACE_NANOS) / 1e9)) {
                tooSlow = Content.Chunk.from(new TimeoutException("the body arrives slower than " + bytesPerSecond + " bytes/s"));
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }
    }
}
