package dev.sentence4j.weights;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Test fixtures: the bytes {@code torch.save(module.state_dict(), "pytorch_model.bin")} writes for a
 * state dict of tensors, built here because PyTorch cannot be installed for the tests. Where each
 * byte comes from:
 *
 * <ul>
 *   <li>The pickle: CPython's C pickler ({@code Modules/_pickle.c}: {@code save_reduce},
 *       {@code save_tuple}, {@code batch_dict}, {@code save_global}, {@code memo_put}) at torch's
 *       default protocol 2, run on a state dict: an {@code OrderedDict} reduced to
 *       {@code (OrderedDict, (), {'_metadata': ...}, None, items)}, each tensor reduced by
 *       {@code Tensor._reduce_ex_internal} to {@code torch._utils._rebuild_tensor_v2(storage, offset,
 *       size, stride, requires_grad, OrderedDict())}, each storage replaced by the persistent id
 *       {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} of {@code persistent_id} in
 *       {@code torch/serialization.py} {@code _save} (six items, a final None, in
 *       {@code _legacy_save}). {@code _metadata} is what {@code Module.state_dict} records: a
 *       {@code {'version': 1}} per module, the root first.
 *   <li>The zip: {@code _save} writes {@code data.pkl}, {@code .format_version}, {@code
 *       .storage_alignment}, {@code byteorder} and {@code data/<key>}; {@code PyTorchStreamWriter}
 *       ({@code caffe2/serialize/inline_container.cc}) prefixes each with the file's base name, pads
 *       each local header with an {@code FB} extra field of {@code 'Z'} bytes so data starts on 64
 *       bytes, and ends with {@code version} and {@code .data/serialization_id}; miniz
 *       ({@code mz_zip_writer_add_mem_ex_v2}, {@code mz_zip_writer_finalize_archive}, opened with
 *       {@code MZ_ZIP_FLAG_WRITE_ZIP64}) stores entries uncompressed with zero sizes in the local
 *       header, flags 0x0808 and a data descriptor, then the central directory, a zip64 end record,
 *       its locator and the end record.
 *   <li>The legacy stream ({@code _legacy_save}): pickles of the magic number, protocol 1001 and
 *       sys info, the state dict, the sorted storage keys, then each storage as an int64 element count
 *       and its raw little-endian bytes.
 * </ul>
 *
 * The serialization id (a hash of record names and CRCs) is the one byte range not reproduced.
 */
public final class TorchSave {
    private static final int ALIGNMENT = 64;
    private static final int DOS_TIME = 0;
    private static final int DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1;

    private TorchSave() {}

    /**
     * A state-dict entry: a tensor viewing a storage of its own.
     *
     * @param storageType the storage class, as in {@code torch.FloatStorage}
     * @param storage the storage's raw little-endian bytes
     * @param numel the storage's element count
     */
    public record Entry(String name, String storageType, byte[] storage, long numel, long offset, long[] shape, long[] stride) {
        /** The same tensor with other strides over the same storage. */
        public Entry withStride(long... newStride) {
            return new Entry(name, storageType, storage, numel, offset, shape, newStride);
        }
    }

    /** A contiguous float32 tensor. */
    public static Entry float32(String name, long[] shape, float[] values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return new Entry(name, "FloatStorage", data.array(), values.length, 0, shape, contiguousStride(shape));
    }

    /** A contiguous float16 tensor, given as IEEE half-precision bit patterns. */
    public static Entry float16(String name, long[] shape, short[] halves) {
        ByteBuffer data = ByteBuffer.allocate(halves.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.asShortBuffer().put(halves);
        return new Entry(name, "HalfStorage", data.array(), halves.length, 0, shape, contiguousStride(shape));
    }

    private static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = step;
            step *= shape[d];
        }
        return stride;
    }

    /** {@code torch.save} of a state dict to {@code pytorch_model.bin}, as PyTorch 2.4 and later write it. */
    public static byte[] zip(List<Entry> entries) {
        return zip(entries, 2);
    }

    /** The same with {@code pickle_protocol=protocol}. */
    public static byte[] zip(List<Entry> entries, int protocol) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            keys.add(String.valueOf(i));
        }
        return zip(stateDictPickle(protocol, entries, keys, false), entries.stream().map(Entry::storage).toList());
    }

    /** The zip around any {@code data.pkl}, with storages {@code data/0}, {@code data/1}, ... */
    public static byte[] zip(byte[] pickle, List<byte[]> storages) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", pickle);
        records.put(".format_version", ascii("1"));
        records.put(".storage_alignment", ascii("64"));
        records.put("byteorder", ascii("little"));
        for (int i = 0; i < storages.size(); i++) {
            records.put("data/" + i, storages.get(i));
        }
        records.put("version", ascii("3\n"));
        records.put(".data/serialization_id", ascii("0".repeat(40)));
        return zipArchive("pytorch_model", records);
    }

    /** {@code torch.save(..., _use_new_zipfile_serialization=False)}, the only format before PyTorch 1.6. */
    public static byte[] legacy(List<Entry> entries) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            keys.add(String.valueOf(94_420_000_000_000L + 48_000L * i)); // str(storage._cdata): an address
        }
        Pickler magic = new Pickler(2);
        magic.integer(new BigInteger("1950a86a20f9469cfc6c", 16));
        Pickler protocol = new Pickler(2);
        protocol.integer(1001);
        Pickler sysInfo = new Pickler(2);
        sysInfo.emptyDict();
        sysInfo.setItems(List.of(
                () -> sysInfo.string("protocol_version"), () -> sysInfo.integer(1001),
                () -> sysInfo.string("little_endian"), () -> sysInfo.op(0x88),
                () -> sysInfo.string("type_sizes"), () -> {
                    sysInfo.emptyDict();
                    sysInfo.setItems(List.of(
                            () -> sysInfo.string("short"), () -> sysInfo.integer(2),
                            () -> sysInfo.string("int"), () -> sysInfo.integer(4),
                            () -> sysInfo.string("long"), () -> sysInfo.integer(8)));
                }));
        List<String> sorted = keys.stream().sorted().toList();
        Pickler keyList = new Pickler(2);
        keyList.op(']').memoize();
        if (sorted.size() == 1) {
            keyList.string(sorted.get(0));
            keyList.op('a');
        } else {
            keyList.op('(');
            sorted.forEach(keyList::string);
            keyList.op('e');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Pickler pickle : List.of(magic, protocol, sysInfo)) {
            out.writeBytes(pickle.finish());
        }
        out.writeBytes(stateDictPickle(2, entries, keys, true));
        out.writeBytes(keyList.finish());
        for (String key : sorted) {
            Entry entry = entries.get(keys.indexOf(key));
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(entry.numel()).array());
            out.writeBytes(entry.storage());
        }
        return out.toByteArray();
    }

    /** The state dict's pickle at {@code protocol} (torch.save's default is 2). */
    private static byte[] stateDictPickle(int protocol, List<Entry> entries, List<String> keys, boolean legacy) {
        Pickler p = new Pickler(protocol);
        p.global("collections", "OrderedDict");
        p.op(')').op('R').memoize();
        List<Runnable> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String key = keys.get(i);
            items.add(() -> p.string(entry.name()));
            items.add(() -> tensor(p, entry, key, legacy));
        }
        p.setItems(items);
        p.emptyDict();
        p.setItems(List.of(() -> p.string("_metadata"), () -> metadata(p, entries)));
        p.op('b');
        return p.finish();
    }

    private static void tensor(Pickler p, Entry entry, String key, boolean legacy) {
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.tuple(
                () -> {
                    List<Runnable> id = new ArrayList<>(List.of(
                            () -> p.string("storage"), () -> p.global("torch", entry.storageType()),
                            () -> p.string(key), () -> p.string("cpu"), () -> p.integer(entry.numel())));
                    if (legacy) {
                        id.add(() -> p.op('N'));
                    }
                    p.tuple(id.toArray(Runnable[]::new));
                    p.op('Q');
                },
                () -> p.integer(entry.offset()),
                () -> p.tuple(ints(p, entry.shape())),
                () -> p.tuple(ints(p, entry.stride())),
                () -> p.op(0x89),
                () -> {
                    p.global("collections", "OrderedDict");
                    p.op(')').op('R').memoize();
                });
        p.op('R').memoize();
    }

    private static Runnable[] ints(Pickler p, long[] values) {
        Runnable[] items = new Runnable[values.length];
        for (int i = 0; i < values.length; i++) {
            long value = values[i];
            items[i] = () -> p.integer(value);
        }
        return items;
    }

    /** {@code Module.state_dict}'s {@code _metadata}: the root module, then each prefix of a key. */
    private static void metadata(Pickler p, List<Entry> entries) {
        List<String> modules = new ArrayList<>(List.of(""));
        for (Entry entry : entries) {
            String module = entry.name().contains(".") ? entry.name().substring(0, entry.name().lastIndexOf('.')) : "";
            if (!modules.contains(module)) {
                modules.add(module);
            }
        }
        p.global("collections", "OrderedDict");
        p.op(')').op('R').memoize();
        List<Runnable> items = new ArrayList<>();
        for (String module : modules) {
            items.add(() -> p.string(module));
            items.add(() -> {
                p.emptyDict();
                p.setItems(List.of(() -> p.string("version"), () -> p.integer(1)));
            });
        }
        p.setItems(items);
    }

    /**
     * What CPython's C pickler writes for the few types a state dict holds: strings and globals are
     * memoized (here by value, which matches CPython's by identity for these interned strings).
     */
    public static final class Pickler {
        private final int protocol;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> memo = new HashMap<>();
        private int memoSize;

        public Pickler(int protocol) {
            this.protocol = protocol;
        }

        public Pickler op(int opcode) {
            out.write(opcode);
            return this;
        }

        private Pickler bytes(byte[] raw) {
            out.writeBytes(raw);
            return this;
        }

        private void littleEndian(long value, int width) {
            for (int i = 0; i < width; i++) {
                out.write((int) (value >>> (8 * i)));
            }
        }

        public Pickler memoize() {
            int index = memoSize++;
            if (protocol >= 4) {
                op(0x94);
            } else if (index < 256) {
                op('q').op(index);
            } else {
                op('r').littleEndian(index, 4);
            }
            return this;
        }

        /** Writes a get of what was memoized under {@code key}, if it was. */
        private boolean fromMemo(String key) {
            Integer index = memo.get(key);
            if (index == null) {
                return false;
            }
            if (index < 256) {
                op('h').op(index);
            } else {
                op('j').littleEndian(index, 4);
            }
            return true;
        }

        private void remember(String key) {
            memo.put(key, memoSize);
            memoize();
        }

        public void string(String value) {
            if (fromMemo("str:" + value)) {
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (protocol >= 4 && utf8.length < 256) {
                op(0x8c).op(utf8.length);
            } else {
                op('X').littleEndian(utf8.length, 4);
            }
            bytes(utf8).remember("str:" + value);
        }

        public void global(String module, String name) {
            if (fromMemo("global:" + module + "." + name)) {
                return;
            }
            if (protocol >= 4) {
                string(module);
                string(name);
                op(0x93);
            } else {
                op('c').bytes(ascii(module + "\n" + name + "\n"));
            }
            remember("global:" + module + "." + name);
        }

        public void integer(long value) {
            if (value >= 0 && value < 256) {
                op('K').op((int) value);
            } else if (value >= 0 && value < 65536) {
                op('M').littleEndian(value, 2);
            } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                op('J').littleEndian(value, 4);
            } else {
                integer(BigInteger.valueOf(value));
            }
        }

        /** LONG1: the shortest two's-complement little-endian bytes. */
        public void integer(BigInteger value) {
            byte[] bigEndian = value.toByteArray();
            op(0x8a).op(bigEndian.length);
            for (int i = bigEndian.length - 1; i >= 0; i--) {
                out.write(bigEndian[i]);
            }
        }

        public void emptyDict() {
            op('}').memoize();
        }

        /** save_tuple: EMPTY_TUPLE (not memoized), TUPLE1 to TUPLE3, or MARK ... TUPLE. */
        public void tuple(Runnable... items) {
            if (items.length == 0) {
                op(')');
                return;
            }
            if (items.length > 3) {
                op('(');
            }
            for (Runnable item : items) {
                item.run();
            }
            op(items.length > 3 ? 't' : 0x85 + items.length - 1).memoize();
        }

        /** batch_dict: one pair with SETITEM, more between MARK and SETITEMS. */
        public void setItems(List<Runnable> keysAndValues) {
            if (keysAndValues.isEmpty()) {
                return;
            }
            boolean single = keysAndValues.size() == 2;
            if (!single) {
                op('(');
            }
            keysAndValues.forEach(Runnable::run);
            op(single ? 's' : 'u');
        }

        /** PROTO, then (protocol 4 and later) one FRAME around everything up to and with STOP. */
        public byte[] finish() {
            op('.');
            ByteArrayOutputStream pickle = new ByteArrayOutputStream();
            pickle.write(0x80);
            pickle.write(protocol);
            byte[] body = out.toByteArray();
            if (protocol >= 4) {
                pickle.write(0x95);
                pickle.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(body.length).array());
            }
            pickle.writeBytes(body);
            return pickle.toByteArray();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** PyTorchStreamWriter on miniz: stored entries aligned to 64 bytes, then a zip64 central directory end. */
    private static byte[] zipArchive(String archiveName, Map<String, byte[]> records) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] name = (archiveName + "/" + record.getKey()).getBytes(StandardCharsets.UTF_8);
            byte[] data = record.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            int offset = zip.size();
            int unpadded = offset + 30 + name.length + 4;
            int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
            int flags = data.length > 0 ? 0x0808 : 0x0800;

            ByteBuffer local = le(30 + name.length + 4 + padding);
            local.putInt(0x04034b50).putShort((short) 0).putShort((short) flags).putShort((short) 0)
                    .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt(0).putInt(0).putInt(0)
                    .putShort((short) name.length).putShort((short) (4 + padding)).put(name)
                    .put((byte) 'F').put((byte) 'B').putShort((short) padding);
            for (int i = 0; i < padding; i++) {
                local.put((byte) 'Z');
            }
            zip.writeBytes(local.array());
            zip.writeBytes(data);
            if (data.length > 0) {
                zip.writeBytes(le(16).putInt(0x08074b50).putInt((int) crc.getValue()).putInt(data.length).putInt(data.length).array());
            }

            central.writeBytes(le(46 + name.length).putInt(0x02014b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) flags).putShort((short) 0).putShort((short) DOS_TIME).putShort((short) DOS_DATE)
                    .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name).array());
        }
        int centralAt = zip.size();
        zip.writeBytes(central.toByteArray());
        int zip64EndAt = zip.size();
        zip.writeBytes(le(56).putInt(0x06064b50).putLong(44).putShort((short) 0x031e).putShort((short) 0x2d)
                .putInt(0).putInt(0).putLong(records.size()).putLong(records.size())
                .putLong(central.size()).putLong(centralAt).array());
        zip.writeBytes(le(20).putInt(0x07064b50).putInt(0).putLong(zip64EndAt).putInt(1).array());
        zip.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) records.size()).putShort((short) records.size())
                .putInt(central.size()).putInt(centralAt).putShort((short) 0).array());
        return zip.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
