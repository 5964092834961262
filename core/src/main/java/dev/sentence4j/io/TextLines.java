package dev.sentence4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a UTF-8 text file as lines, strictly: a byte sequence that is not UTF-8 is an error naming the
 * file and line rather than a silent replacement character. Lines end at {@code \n} or {@code \r\n};
 * a final line end does not start another line; a leading byte order mark is dropped. {@link #open}
 * reads a line at a time, so that memory holds one line however long the file.
 */
public final class TextLines implements Closeable {
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    /** The bytes of the line being read: grows to the longest line. */
    private byte[] line = new byte[256];
    private int lineNumber;

    private TextLines(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Opens the file to read its lines one at a time.
     *
     * @throws IOException naming the file when it does not exist or is a folder
     */
    public static TextLines open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a text file");
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        }
        TextLines lines = new TextLines(file, in);
        try {
            lines.skipByteOrderMark();
        } catch (IOException e) {
            lines.close();
            throw e;
        }
        return lines;
    }

    /**
     * Reads every line of the file.
     *
     * @throws IOException naming the file (and the line, for bad UTF-8) when it cannot be read
     */
    public static List<String> read(Path file) throws IOException {
        try (TextLines lines = open(file)) {
            List<String> all = new ArrayList<>();
            for (String line = lines.next(); line != null; line = lines.next()) {
                all.add(line);
            }
            return all;
        }
    }

    /**
     * The next line, without its line end, or {@code null} at the end of the file.
     *
     * @throws IOException naming the file and line when it is not valid UTF-8, or the file when it cannot be read
     */
    public String next() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int count = end - position;
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(buffer, position, line, length, count);
            length += count;
            position = end;
            if (end < limit) {
                position++;
                break;
            }
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ", line " + lineNumber + ": not valid UTF-8", e);
        }
    }

    private void skipByteOrderMark() throws IOException {
        while (limit < BYTE_ORDER_MARK.length) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
        }
        if (limit >= BYTE_ORDER_MARK.length && Arrays.equals(buffer, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0,
                BYTE_ORDER_MARK.length)) {
            position = BYTE_ORDER_MARK.length;
        }
    }

    /** The number of the line {@link #next} returned last, counting from 1. */
    public int lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
