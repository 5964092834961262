package dev.sentence4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file holding one text per line, read strictly as UTF-8. Lines end in {@code \n} or
 * {@code \r\n}; a final line end does not start another text, but empty lines inside the file are
 * texts (empty ones). A byte order mark at the start is dropped.
 */
final class TextFile {
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private TextFile() {}

    /**
     * The file's texts, in order.
     *
     * @throws CliException naming the file, and the line when one is not valid UTF-8
     */
    static List<String> readLines(Path file) {
        byte[] bytes = readBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = lineEnd(bytes, start);
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            lines.add(decode(decoder, ByteBuffer.wrap(bytes, start, stop - start), file, lines.size() + 1));
            start = end + 1;
        }
        if (!lines.isEmpty() && lines.get(0).startsWith(BYTE_ORDER_MARK)) {
            lines.set(0, lines.get(0).substring(BYTE_ORDER_MARK.length()));
        }
        return lines;
    }

    private static byte[] readBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new CliException(file + " is a folder; expected a text file with one text per line");
        }
        if (!Files.exists(file)) {
            throw new CliException("input file " + file + " does not exist");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.io("read", file, e);
        }
    }

    /** The index of the {@code \n} ending the line that starts at {@code start}, or the length. */
    private static int lineEnd(byte[] bytes, int start) {
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    private static String decode(CharsetDecoder decoder, ByteBuffer line, Path file, int lineNumber) {
        int lineStart = line.position();
        try {
            return decoder.reset().decode(line).toString();
        } catch (CharacterCodingException e) {
            // On failure the decoder leaves the buffer at the first byte it could not decode.
            throw new CliException(file + ": line " + lineNumber + " is not valid UTF-8 (at byte "
                    + (line.position() - lineStart + 1) + " of the line); save the file as UTF-8", e);
        }
    }
}
