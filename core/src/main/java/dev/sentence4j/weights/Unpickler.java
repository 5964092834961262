package dev.sentence4j.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A restricted pickle interpreter: the stack machine of Python's {@code pickle}, with only the opcodes
 * of protocols 2 to 5 that {@code torch.save} writes for a state dict. It runs no code: a global is
 * only looked up in what the {@link Meaning} allows, and REDUCE, NEWOBJ and BINPERSID are answered by
 * the {@link Meaning}, never by Python. Values come out as Java objects: None as {@code null}, int as
 * {@link Long} (or {@link BigInteger}), float as {@link Double}, str as {@link String}, tuple as an
 * unmodifiable {@link List}, list as an {@link ArrayList}, dict as a {@link LinkedHashMap}.
 */
final class Unpickler {
    /**
     * What a file's globals and persistent ids mean; anything it does not allow is refused. Its methods
     * throw {@link IllegalArgumentException} with a plain message, which the interpreter reports with
     * the file and the byte.
     */
    interface Meaning {
        /** The value of global {@code module.name}, or empty when it is not allowed. */
        Optional<Object> global(String module, String name);

        /** Applies a global's value to its arguments (REDUCE, NEWOBJ). */
        Object call(Object callable, List<Object> args);

        /** The object a persistent id stands for (BINPERSID). */
        Object persistent(List<Object> id);
    }

    private final ByteBuffer bytes;
    private final String source;
    private final Meaning meaning;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int at;
    private int opcodeAt;

    /**
     * An interpreter for the pickle that starts at byte {@code start} of {@code bytes}; {@code source}
     * names it in errors.
     */
    Unpickler(ByteBuffer bytes, int start, String source, Meaning meaning) {
        this.bytes = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.at = start;
        this.source = source;
        this.meaning = meaning;
    }

    /** Where the pickle ended: the byte after its STOP, once {@link #load} has returned. */
    int end() {
        return at;
    }

    /**
     * Runs the pickle up to its STOP and returns the object it built.
     *
     * @throws IOException naming the source and the byte when the pickle is malformed, truncated, or
     *     names a global the {@link Meaning} does not allow
     */
    Object load() throws IOException {
        while (true) {
            opcodeAt = at;
            int opcode = u8();
            switch (opcode) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol < 2 || protocol > 5) {
                        throw error("pickle protocol " + protocol + " is not one torch.save writes (2 to 5)");
                    }
                }
                case 0x95 -> { // FRAME: the opcodes that follow come in a block of this length
                    long length = i64();
                    if (length < 0 || length > bytes.limit() - at) {
                        throw error("a frame of " + length + " bytes runs past the end; the file is truncated");
                    }
                }
                case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
                case ')' -> stack.add(List.of()); // EMPTY_TUPLE
                case '(' -> marks.push(stack.size()); // MARK
                case '.' -> { // STOP
                    return pop();
                }
                case 'q' -> memo.put((long) u8(), top()); // BINPUT
                case 'r' -> memo.put(u32(), top()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                case 'h' -> stack.add(memo((long) u8())); // BINGET
                case 'j' -> stack.add(memo(u32())); // LONG_BINGET
                case 'J' -> stack.add((long) take(4).getInt()); // BININT
                case 'K' -> stack.add((long) u8()); // BININT1
                case 'M' -> stack.add((long) (take(2).getShort() & 0xffff)); // BININT2
                case 0x8a -> stack.add(long1(u8())); // LONG1
                case 'G' -> stack.add(take(8).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'N' -> stack.add(null); // NONE
                case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                case 0x8c -> stack.add(text(u8(), true)); // SHORT_BINUNICODE
                case 'X' -> stack.add(text(u32(), true)); // BINUNICODE
                case 0x8d -> stack.add(text(i64(), true)); // BINUNICODE8
                case 'U' -> stack.add(text(u8(), false)); // SHORT_BINSTRING (Python 2 str)
                case 'T' -> stack.add(text(take(4).getInt(), false)); // BINSTRING (Python 2 str)
                case 't' -> stack.add(tuple(popMark())); // TUPLE
                case 0x85 -> stack.add(tuple(popLast(1))); // TUPLE1
                case 0x86 -> stack.add(tuple(popLast(2))); // TUPLE2
                case 0x87 -> stack.add(tuple(popLast(3))); // TUPLE3
                case 'l' -> stack.add(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(top()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(top()).addAll(items);
                }
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, popMark());
                    stack.add(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(top()).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> pairs = popMark();
                    putPairs(dict(top()), pairs);
                }
                case 'c' -> { // GLOBAL
                    String module = line();
                    stack.add(global(module, line()));
                }
                case 0x93 -> { // STACK_GLOBAL
                    String name = string(pop());
                    stack.add(global(string(pop()), name));
                }
                case 'R', 0x81 -> { // REDUCE, NEWOBJ
                    List<Object> args = tupleArgument(pop());
                    Object callable = pop();
                    try {
                        stack.add(meaning.call(callable, args));
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage());
                    }
                }
                case 'b' -> { // BUILD
                    pop(); // a state dict's attributes (its _metadata), which no tensor depends on
                    if (!(top() instanceof Map)) {
                        throw error("BUILD sets the state of a " + typeName(top()) + ", which only a dict may have here");
                    }
                }
                case 'Q' -> { // BINPERSID
                    List<Object> id = tupleArgument(pop());
                    try {
                        stack.add(meaning.persistent(id));
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage());
                    }
                }
                default -> throw error(String.format("opcode 0x%02x is not one torch.save writes for a state dict", opcode));
            }
        }
    }

    private Object global(String module, String name) throws IOException {
        Optional<Object> value = meaning.global(module, name);
        if (value.isEmpty()) {
            throw error("the pickle names global '" + module + "." + name + "', which sentence4j does not allow:"
                    + " it reads only state dicts of float tensors and never runs pickle code");
        }
        return value.get();
    }

    private IOException error(String message) {
        return new IOException(source + ": " + message + " (at byte " + opcodeAt + " of the pickle)");
    }

    private ByteBuffer take(long count) throws IOException {
        if (count < 0 || count > bytes.limit() - at) {
            throw error("the pickle ends early; the file is truncated or not a PyTorch checkpoint");
        }
        ByteBuffer slice = bytes.slice(at, (int) count).order(ByteOrder.LITTLE_ENDIAN);
        at += (int) count;
        return slice;
    }

    private int u8() throws IOException {
        return take(1).get() & 0xff;
    }

    private long u32() throws IOException {
        return take(4).getInt() & 0xffffffffL;
    }

    private long i64() throws IOException {
        return take(8).getLong();
    }

    private Object long1(int length) throws IOException {
        byte[] littleEndian = new byte[length];
        take(length).get(littleEndian);
        byte[] bigEndian = new byte[length];
        for (int i = 0; i < length; i++) {
            bigEndian[i] = littleEndian[length - 1 - i];
        }
        BigInteger value = length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String text(long length, boolean utf8) throws IOException {
        return decode(take(length), utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        int start = at;
        while (u8() != '\n') {
            // scan to the end of the line
        }
        return decode(bytes.slice(start, at - 1 - start), StandardCharsets.US_ASCII);
    }

    private static String decode(ByteBuffer slice, Charset charset) {
        byte[] raw = new byte[slice.remaining()];
        slice.get(raw);
        return new String(raw, charset);
    }

    private Object memo(long index) throws IOException {
        if (!memo.containsKey(index)) {
            throw error("memo entry " + index + " is read before it is written");
        }
        return memo.get(index);
    }

    private Object top() throws IOException {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.peek())) {
            throw error("the stack is empty");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws IOException {
        top();
        return stack.remove(stack.size() - 1);
    }

    private List<Object> popLast(int count) throws IOException {
        if (stack.size() - count < (marks.isEmpty() ? 0 : marks.peek())) {
            throw error("the stack holds fewer than " + count + " items");
        }
        List<Object> tail = stack.subList(stack.size() - count, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw error("no MARK to pop to");
        }
        List<Object> tail = stack.subList(marks.pop(), stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> pairs) throws IOException {
        if (pairs.size() % 2 != 0) {
            throw error("a dict is built from an odd number of items");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            dict.put(pairs.get(i), pairs.get(i + 1));
        }
    }

    /** Tuples are unmodifiable lists; they may hold None, so not {@link List#copyOf}. */
    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    private List<Object> tupleArgument(Object value) throws IOException {
        if (!(value instanceof List)) {
            throw error("expected a tuple, found a " + typeName(value));
        }
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) value;
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) throws IOException {
        if (!(value instanceof ArrayList)) {
            throw error("expected a list, found a " + typeName(value));
        }
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object value) throws IOException {
        if (!(value instanceof Map)) {
            throw error("expected a dict, found a " + typeName(value));
        }
        return (Map<Object, Object>) value;
    }

    private String string(Object value) throws IOException {
        if (!(value instanceof String text)) {
            throw error("expected a str, found a " + typeName(value));
        }
        return text;
    }

    /** A value's Python type name, for messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof ArrayList) {
            return "list";
        }
        if (value instanceof List) {
            return "tuple";
        }
        if (value instanceof Map) {
            return "dict";
        }
        return switch (value.getClass().getSimpleName()) {
            case "String" -> "str";
            case "Double" -> "float";
            case "Boolean" -> "bool";
            default -> String.valueOf(value);
        };
    }
}
