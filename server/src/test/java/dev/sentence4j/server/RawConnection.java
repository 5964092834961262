package dev.sentence4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A client socket that sends bytes as given, for requests no HTTP client would send: malformed, or slow. */
final class RawConnection implements AutoCloseable {
    /** A reply as it came: the status, the content type and the body. */
    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    private final Socket socket;

    private RawConnection(Socket socket) {
        this.socket = socket;
    }

    static RawConnection open(URI base) {
        try {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the text's bytes (ISO-8859-1: one byte per character), as they are. */
    RawConnection send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed the connection without a reply: a read ends (or fails) rather than waits. */
    boolean closedByServer() {
        try {
            socket.setSoTimeout(50);
            try {
                return socket.getInputStream().read() < 0;
            } finally {
                socket.setSoTimeout(30_000);
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether the server has begun to reply. */
    boolean hasReply() {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one reply: status line, headers, and a body of Content-Length bytes. */
    Reply read() {
        try {
            InputStream in = socket.getInputStream();
            String head = head(in);
            int status = Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
            String contentType = header(head, "content-type");
            String length = header(head, "content-length");
            byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
            return new Reply(status, contentType, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head.size() + " bytes of reply: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test's socket: nothing to tell.
        }
    }
}
