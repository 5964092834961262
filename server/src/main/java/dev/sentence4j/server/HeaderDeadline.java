package dev.sentence4j.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Closes a connection whose first request's headers have not all arrived within the idle timeout of it
 * opening. Jetty's idle timeout restarts with every byte, so a client sending its headers a byte at a
 * time ("slowloris") would hold a connection, and a thread's worth of buffers, for as long as it liked.
 * Registered on the connector, it hears of each connection as it opens; wrapped around the routes, it
 * sees each request whose headers came in whole. A connection kept open for further requests is the
 * idle timeout's once its first request is in.
 */
final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
    private final Duration timeout;
    /** Connections whose first request's headers are in. */
    private final Set<Connection> started = ConcurrentHashMap.newKeySet();

    HeaderDeadline(Handler handler, Duration timeout) {
        super(handler);
        this.timeout = timeout;
    }

    @Override
    public void onOpened(Connection connection) {
        getServer().getScheduler().schedule(() -> {
            if (!started.contains(connection) && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        started.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        started.add(request.getConnectionMetaData().getConnection());
        return super.handle(request, response, callback);
    }
}
