package dev.sentence4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import java.util.Arrays;

/** Token ids and type ids gathered from several encodings into one sequence, growing as they come. */
final class TokenColumns {
    private long[] ids = new long[1024];
    private long[] typeIds = new long[1024];
    private int size;

    /** Appends the encoding's tokens {@code [from, to)}. */
    void add(Encoding encoding, int from, int to) {
        int count = to - from;
        if (size + count > ids.length) {
            int capacity = Math.max(size + count, ids.length * 2);
            ids = Arrays.copyOf(ids, capacity);
            typeIds = Arrays.copyOf(typeIds, capacity);
        }
        System.arraycopy(encoding.getIds(), from, ids, size, count);
        System.arraycopy(encoding.getTypeIds(), from, typeIds, size, count);
        size += count;
    }

    long[] ids() {
        return Arrays.copyOf(ids, size);
    }

    long[] typeIds() {
        return Arrays.copyOf(typeIds, size);
    }
}
