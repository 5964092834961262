package dev.sentence4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a UTF-8 text file as lines, strictly: a byte sequence that is not UTF-8 is an error naming the
 * file and line rather than a silent replacement character. Lines end at {@code \n} or {@code \r\n};
 * a final line end does not start another line; a leading byte order mark is dropped.
 */
public final class TextLines {
    private TextLines() {}

    /**
     * Reads every line of the file.
     *
     * @throws IOException naming the file (and the line, for bad UTF-8) when it cannot be read
     */
    public static List<String> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = hasByteOrderMark(bytes) ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, contentEnd - start)).toString());
            } catch (CharacterCodingException e) {
                throw new IOException(file + ", line " + (lines.size() + 1) + ": not valid UTF-8", e);
            }
            start = end + 1;
        }
        return lines;
    }

    private static boolean hasByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }
}
