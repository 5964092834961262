package dev.sentence4j.server;

import org.eclipse.jetty.io.Content;

/**
 * Reads what is left of a refused request's body and drops it, up to a bound, before the refusal is
 * written. Answered while the client is still sending, the connection is closed under it (Jetty will
 * not keep a connection whose request was not read to its end), and the client sees a broken pipe or
 * no reply at all instead of the refusal. Past the bound the refusal goes out anyway, and a client
 * sending that much more learns of it from the closed connection.
 */
final class BodyDrain {
    private final Content.Source body;
    private final Runnable then;
    private long left;

    private BodyDrain(Content.Source body, long most, Runnable then) {
        this.body = body;
        this.left = most;
        this.then = then;
    }

    /** Drops up to {@code most} bytes of the body as they arrive, holding no thread, then runs {@code then}. */
    static void drop(Content.Source body, long most, Runnable then) {
        new BodyDrain(body, most, then).read();
    }

    private void read() {
        while (true) {
            Content.Chunk chunk = body.read();
            if (chunk == null) {
                body.demand(this::read);
                return;
            }
            boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
            left -= chunk.remaining();
            chunk.release();
            if (end || left < 0) {
                then.run();
                return;
            }
        }
    }
}
