package dev.sentence4j.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PyTorch checkpoints: what {@code torch.save} writes for a state dict of float tensors, which is how
 * older Hugging Face repositories keep a module's weights ({@code pytorch_model.bin}). Both containers
 * are read: the zip archive of PyTorch 1.6 and later ({@code <name>/data.pkl} and the raw little-endian
 * storages {@code <name>/data/<key>}), and the earlier stream (pickles of a magic number, a protocol
 * version, system info, the state dict and its storage keys, then each storage as an element count and
 * raw bytes). The pickles run on {@link Unpickler}, which only knows the few globals a state dict
 * names: nothing in the file is ever executed.
 */
public final class TorchCheckpoint {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    /** What each allowed global means here: a function interpreted by {@link Meaning}, or a type. */
    private static final Map<String, Object> GLOBALS = Map.ofEntries(
            Map.entry("collections.OrderedDict", Call.ORDERED_DICT),
            Map.entry("torch._utils._rebuild_tensor", Call.REBUILD_TENSOR),
            Map.entry("torch._utils._rebuild_tensor_v2", Call.REBUILD_TENSOR),
            Map.entry("torch._utils._rebuild_tensor_v3", Call.REBUILD_TENSOR_WITH_DTYPE),
            Map.entry("torch._utils._rebuild_parameter", Call.REBUILD_PARAMETER),
            Map.entry("torch.FloatStorage", new StorageType("FloatStorage", FloatEncoding.F32)),
            Map.entry("torch.HalfStorage", new StorageType("HalfStorage", FloatEncoding.F16)),
            Map.entry("torch.BFloat16Storage", new StorageType("BFloat16Storage", FloatEncoding.BF16)),
            Map.entry("torch.DoubleStorage", new StorageType("DoubleStorage", FloatEncoding.F64)),
            Map.entry("torch.UntypedStorage", new StorageType("UntypedStorage", null)),
            Map.entry("torch.storage.UntypedStorage", new StorageType("UntypedStorage", null)),
            Map.entry("torch.float32", FloatEncoding.F32),
            Map.entry("torch.float16", FloatEncoding.F16),
            Map.entry("torch.bfloat16", FloatEncoding.BF16),
            Map.entry("torch.float64", FloatEncoding.F64));

    private TorchCheckpoint() {}

    /**
     * Reads every tensor of a {@code torch.save} file of a state dict; {@code source} names it in errors.
     *
     * @throws IOException naming the source when the file is not such a checkpoint, is truncated or
     *     damaged, names a global other than a state dict's, or holds a tensor that is not contiguous
     */
    public static Map<String, SafeTensors.Tensor> read(byte[] file, String source) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> entry : stored(ByteBuffer.wrap(file), source).entrySet()) {
            tensors.put(entry.getKey(), new SafeTensors.Tensor(entry.getValue().shape(), entry.getValue().floats()));
        }
        return tensors;
    }

    /**
     * Maps a {@code torch.save} file of a state dict into memory: each tensor's data is a view of the
     * file's pages, never copied onto the Java heap. Checked as {@link #read} checks.
     *
     * @throws IOException naming the file when it cannot be read or is not such a checkpoint
     */
    public static Map<String, StoredTensor> map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(file + ": a PyTorch checkpoint of " + channel.size()
                        + " bytes; sentence4j reads those up to 2 GiB (safetensors files of any size)");
            }
            return stored(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file.toString());
        }
    }

    private static Map<String, StoredTensor> stored(ByteBuffer file, String source) throws IOException {
        ByteBuffer bytes = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.limit() >= 4 && bytes.getInt(0) == 0x04034b50) {
            return fromZip(bytes, source);
        }
        if (bytes.limit() >= 2 && (bytes.get(0) & 0xff) == 0x80) {
            return fromLegacy(bytes, source);
        }
        throw new IOException(source + ": not a PyTorch checkpoint; torch.save writes a zip archive (PyTorch 1.6 and"
                + " later) or a stream of pickles (earlier)");
    }

    private static Map<String, StoredTensor> fromZip(ByteBuffer file, String source) throws IOException {
        Map<String, ByteBuffer> entries = StoredZip.entries(file, source);
        String pickle = entries.keySet().stream()
                .filter(name -> name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length())
                .findFirst()
                .orElseThrow(() -> new IOException(source + ": a zip archive without <name>/data.pkl, so not a torch.save file"));
        String prefix = pickle.substring(0, pickle.length() - "data.pkl".length());
        ByteBuffer byteOrder = entries.get(prefix + "byteorder");
        if (byteOrder != null && !StandardCharsets.US_ASCII.decode(byteOrder.duplicate()).toString().equals("little")) {
            throw bigEndian(source);
        }
        Object stateDict = new Unpickler(entries.get(pickle), 0, source + " (" + pickle + ")", new Meaning()).load();
        Map<String, ByteBuffer> storages = new HashMap<>();
        entries.forEach((name, data) -> {
            if (name.startsWith(prefix + "data/")) {
                storages.put(name.substring(prefix.length() + "data/".length()), data);
            }
        });
        return tensors(stateDict, storages, source);
    }

    private static Map<String, StoredTensor> fromLegacy(ByteBuffer file, String source) throws IOException {
        Meaning meaning = new Meaning();
        // The magic number, the protocol version, sys info, the state dict, the storage keys.
        List<Object> pickles = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < 5; i++) {
            Unpickler pickle = new Unpickler(file, at, source, meaning);
            pickles.add(pickle.load());
            at = pickle.end();
            if (i == 0 && !LEGACY_MAGIC.equals(pickles.get(0))) {
                throw new IOException(source + ": a pickle, but not torch.save's (no magic number); not a PyTorch checkpoint");
            }
        }
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(pickles.get(1))) {
            throw new IOException(source + ": torch.save protocol version " + pickles.get(1) + ", sentence4j reads " + LEGACY_PROTOCOL);
        }
        if (pickles.get(2) instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
            throw bigEndian(source);
        }
        if (!(pickles.get(4) instanceof List<?> keys)) {
            throw new IOException(source + ": the storage keys are a " + Unpickler.typeName(pickles.get(4)) + ", not a list");
        }
        Map<String, ByteBuffer> storages = new HashMap<>();
        for (Object key : keys) {
            Storage storage = meaning.storages.get(key);
            if (storage == null) {
                throw new IOException(source + ": storage '" + key + "' is listed but no tensor uses it");
            }
            if (at + 8L > file.limit() || file.getLong(at) != storage.size()) {
                throw new IOException(source + ": storage '" + key + "' does not start with its element count "
                        + storage.size() + "; the file is truncated or damaged");
            }
            long length = storage.bytes();
            if (length > file.limit() - at - 8L) {
                throw new IOException(source + ": storage '" + key + "' runs past the end of the file; the file is truncated");
            }
            storages.put(storage.key(), file.slice(at + 8, (int) length));
            at += 8 + (int) length;
        }
        return tensors(pickles.get(3), storages, source);
    }

    private static IOException bigEndian(String source) {
        return new IOException(source + ": written on a big-endian machine, which sentence4j does not read");
    }

    private static Map<String, StoredTensor> tensors(Object stateDict, Map<String, ByteBuffer> storages, String source)
            throws IOException {
        if (!(stateDict instanceof Map<?, ?> entries)) {
            throw new IOException(source + ": holds a " + Unpickler.typeName(stateDict) + ", not a state dict of tensors");
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof TensorView view)) {
                throw new IOException(source + ": entry " + entry.getKey() + " is a " + Unpickler.typeName(entry.getValue())
                        + ", not a tensor");
            }
            tensors.put(name, view.stored(storages.get(view.storage().key()), source + " tensor '" + name + "'"));
        }
        return tensors;
    }

    /** The functions a state dict's pickle calls, interpreted here. */
    private enum Call {
        ORDERED_DICT("collections.OrderedDict"),
        REBUILD_TENSOR("torch._utils._rebuild_tensor_v2"),
        REBUILD_TENSOR_WITH_DTYPE("torch._utils._rebuild_tensor_v3"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter");

        private final String pythonName;

        Call(String pythonName) {
            this.pythonName = pythonName;
        }

        @Override
        public String toString() {
            return pythonName;
        }
    }

    /** A storage class; UntypedStorage holds bytes, so it has no float encoding of its own. */
    private record StorageType(String name, FloatEncoding encoding) {
        @Override
        public String toString() {
            return "torch." + name;
        }
    }

    /** A storage a persistent id names: {@code size} elements of its type (bytes when untyped). */
    private record Storage(String key, StorageType type, long size) {
        long bytes() {
            return type.encoding() == null ? size : size * type.encoding().width();
        }

        @Override
        public String toString() {
            return "storage '" + key + "'";
        }
    }

    /** A tensor as torch rebuilds it: a view of {@code shape} and {@code stride} into a storage. */
    private record TensorView(Storage storage, long offset, long[] shape, long[] stride, FloatEncoding dtype) {
        StoredTensor stored(ByteBuffer data, String where) throws IOException {
            FloatEncoding encoding = dtype != null ? dtype : storage.type().encoding();
            if (encoding == null) {
                throw new IOException(where + ": its storage is an UntypedStorage of bytes, not of floats");
            }
            if (stride.length != shape.length || !contiguous()) {
                throw new IOException(where + ": strides " + Arrays.toString(stride) + " for shape " + Arrays.toString(shape)
                        + " are not contiguous (row-major); sentence4j reads only contiguous tensors (save tensor.contiguous())");
            }
            long available = storage.bytes() / encoding.width();
            long count;
            try {
                count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
            if (offset < 0 || Arrays.stream(shape).anyMatch(d -> d < 0) || count > available - offset) {
                throw new IOException(where + ": shape " + Arrays.toString(shape) + " from element " + offset
                        + " does not fit its " + storage + " of " + available + " elements");
            }
            if (data == null || data.remaining() != storage.bytes()) {
                throw new IOException(where + ": its " + storage + " of " + storage.bytes() + " bytes is "
                        + (data == null ? "not in the file" : data.remaining() + " bytes long"));
            }
            return new StoredTensor(shape, encoding, data.slice((int) (offset * encoding.width()), (int) (count * encoding.width())));
        }

        /** Row-major strides, ignoring dimensions of size one (whose stride torch leaves free). */
        private boolean contiguous() {
            long expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] == 0) {
                    return true;
                }
                if (shape[d] != 1 && stride[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
            return true;
        }

        @Override
        public String toString() {
            return "tensor";
        }
    }

    /** The allow-list: a state dict's globals and persistent ids, and nothing else. */
    private static final class Meaning implements Unpickler.Meaning {
        private final Map<String, Storage> storages = new HashMap<>();

        @Override
        public Optional<Object> global(String module, String name) {
            return Optional.ofNullable(GLOBALS.get(module + "." + name));
        }

        @Override
        public Object call(Object callable, List<Object> args) {
            if (!(callable instanceof Call call)) {
                throw new IllegalArgumentException(callable + " is called, which only a function may be");
            }
            return switch (call) {
                case ORDERED_DICT -> {
                    if (!args.isEmpty()) {
                        throw new IllegalArgumentException("an OrderedDict is built from arguments, which torch.save never writes");
                    }
                    yield new LinkedHashMap<>();
                }
                case REBUILD_TENSOR -> view(args, null);
                case REBUILD_TENSOR_WITH_DTYPE -> {
                    if (args.size() < 7 || !(args.get(6) instanceof FloatEncoding dtype)) {
                        throw new IllegalArgumentException(call + " is given no float dtype");
                    }
                    yield view(args, dtype);
                }
                case REBUILD_PARAMETER -> {
                    if (args.isEmpty() || !(args.get(0) instanceof TensorView)) {
                        throw new IllegalArgumentException(call + " is given no tensor");
                    }
                    yield args.get(0);
                }
            };
        }

        private static TensorView view(List<Object> args, FloatEncoding dtype) {
            if (args.size() < 4 || !(args.get(0) instanceof Storage storage) || !(args.get(1) instanceof Long offset)) {
                throw new IllegalArgumentException("a tensor is rebuilt from arguments other than (storage, offset, size, stride, ...)");
            }
            return new TensorView(storage, offset, longs(args.get(2), "size"), longs(args.get(3), "stride"), dtype);
        }

        private static long[] longs(Object tuple, String what) {
            if (!(tuple instanceof List<?> items) || !items.stream().allMatch(Long.class::isInstance)) {
                throw new IllegalArgumentException("a tensor's " + what + " is not a tuple of ints");
            }
            return items.stream().mapToLong(Long.class::cast).toArray();
        }

        @Override
        public Object persistent(List<Object> id) {
            if (id.size() < 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof StorageType type)
                    || !(id.get(2) instanceof String key) || !(id.get(4) instanceof Long size) || size < 0) {
                throw new IllegalArgumentException("persistent id " + id + " is not ('storage', type, key, location, size);"
                        + " sentence4j reads state dicts, not pickled modules");
            }
            if (id.size() > 5 && id.get(5) != null) {
                throw new IllegalArgumentException("storage '" + key + "' is a view into another storage, which sentence4j does not read");
            }
            Storage storage = new Storage(key, type, size);
            Storage earlier = storages.putIfAbsent(key, storage);
            if (earlier != null && !earlier.equals(storage)) {
                throw new IllegalArgumentException("storage '" + key + "' is named twice with different types or sizes");
            }
            return storage;
        }
    }
}
