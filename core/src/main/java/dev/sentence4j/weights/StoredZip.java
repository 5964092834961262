package dev.sentence4j.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The entries of a zip archive held in memory, found through its central directory. Only stored
 * (uncompressed) entries are read, which is how {@code torch.save} writes them; its local headers
 * carry no sizes (they come in data descriptors), which is why {@code java.util.zip.ZipInputStream}
 * cannot read these archives.
 */
final class StoredZip {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;

    private StoredZip() {}

    /**
     * Each entry's name and bytes (a little-endian view into {@code file}), in archive order, with its
     * CRC checked; {@code source} names the file in errors.
     *
     * @throws IOException naming the source and the entry when the archive is truncated or damaged
     */
    static Map<String, ByteBuffer> entries(ByteBuffer file, String source) throws IOException {
        ByteBuffer zip = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int end = endOfCentralDirectory(zip, source);
        int count = zip.getShort(end + 10) & 0xffff;
        long directorySize = zip.getInt(end + 12) & 0xffffffffL;
        long directoryAt = zip.getInt(end + 16) & 0xffffffffL;
        if (directoryAt + directorySize > end) {
            throw new IOException(source + ": the zip's central directory lies outside the file; the file is damaged");
        }
        Map<String, ByteBuffer> entries = new LinkedHashMap<>();
        int at = (int) directoryAt;
        for (int i = 0; i < count; i++) {
            if (at + 46 > end || zip.getInt(at) != CENTRAL_HEADER || at + 46 + (zip.getShort(at + 28) & 0xffff) > end) {
                throw new IOException(source + ": zip central directory entry " + i + " is damaged");
            }
            int method = zip.getShort(at + 10) & 0xffff;
            int crc = zip.getInt(at + 16);
            long size = zip.getInt(at + 24) & 0xffffffffL;
            int nameLength = zip.getShort(at + 28) & 0xffff;
            int extraLength = zip.getShort(at + 30) & 0xffff;
            int commentLength = zip.getShort(at + 32) & 0xffff;
            long localAt = zip.getInt(at + 42) & 0xffffffffL;
            String name = text(zip, at + 46, nameLength);
            at += 46 + nameLength + extraLength + commentLength;
            if (method != 0) {
                throw new IOException(source + ": zip entry " + name + " is compressed (method " + method
                        + "); torch.save stores its entries uncompressed");
            }
            entries.put(name, data(zip, localAt, size, crc, source + ": zip entry " + name));
        }
        return entries;
    }

    private static int endOfCentralDirectory(ByteBuffer zip, String source) throws IOException {
        int last = zip.limit() - END_RECORD_SIZE;
        for (int at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
            if (zip.getInt(at) == END_OF_CENTRAL_DIRECTORY) {
                return at;
            }
        }
        throw new IOException(source + ": a zip archive without its central directory; the file is truncated or damaged");
    }

    private static ByteBuffer data(ByteBuffer zip, long localAt, long size, int crc, String where) throws IOException {
        if (localAt + 30 > zip.limit() || zip.getInt((int) localAt) != LOCAL_HEADER) {
            throw new IOException(where + ": its local header is missing; the file is damaged");
        }
        long dataAt = localAt + 30 + (zip.getShort((int) localAt + 26) & 0xffff) + (zip.getShort((int) localAt + 28) & 0xffff);
        if (dataAt + size > zip.limit()) {
            throw new IOException(where + ": its " + size + " bytes run past the end of the file; the file is truncated");
        }
        ByteBuffer data = zip.slice((int) dataAt, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 check = new CRC32();
        check.update(data.duplicate());
        if ((int) check.getValue() != crc) {
            throw new IOException(where + ": its bytes do not match their CRC; the file is damaged");
        }
        return data;
    }

    private static String text(ByteBuffer zip, int at, int length) {
        byte[] raw = new byte[length];
        zip.get(at, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }
}
