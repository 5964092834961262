package dev.sentence4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that trickle request bodies, a byte at a time, each starting over once the server cuts it
 * off: the slow-client attack on a server's request slots, kept up at a fixed count until closed.
 */
final class SlowClients implements AutoCloseable {
    /** The pause between two bytes of a body. */
    private static final long BYTE_PAUSE_MS = 500;
    private static final String HEAD = "POST /embed HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100000\r\n\r\n";

    private final URI base;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong cutOff = new AtomicLong();
    private volatile boolean closed;

    private SlowClients(URI base) {
        this.base = base;
    }

    /** Starts {@code count} slow clients on the server. */
    static SlowClients start(URI base, int count) {
        SlowClients clients = new SlowClients(base);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(clients::trickle, "slow-client-" + i);
            thread.setDaemon(true);
            clients.threads.add(thread);
            thread.start();
        }
        return clients;
    }

    /** How many bodies the server has cut off (answered before they were complete) so far. */
    long cutOff() {
        return cutOff.get();
    }

    private void trickle() {
        while (!closed) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write((HEAD + "{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (!closed && in.available() == 0) {
                    Thread.sleep(BYTE_PAUSE_MS);
                    out.write(' ');
                    out.flush();
                }
                if (in.available() > 0) {
                    cutOff.incrementAndGet();
                }
            } catch (IOException e) {
                // Cut off while writing: the server closed the connection. Start over.
                cutOff.incrementAndGet();
            } catch (InterruptedException e) {
                return;

            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
