package dev.sentence4j.pool;

import dev.sentence4j.module.Feature;
import dev.sentence4j.module.FeatureModule;
import dev.sentence4j.module.Features;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.module.TokenEmbeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code Pooling} module: pools token embeddings into sentence vectors with one or more
 * {@link PoolingMode}s, concatenated in the order given. Padding never counts. Immutable.
 */
public final class Pooling implements FeatureModule {
    private static final double MIN_COUNT = 1e-9;

    private final int dimension;
    private final List<PoolingMode> modes;
    private final boolean includePrompt;

    /**
     * Pooling over every token, prompt tokens included.
     *
     * @param dimension the size of each token vector
     * @param modes at least one mode
     */
    public Pooling(int dimension, List<PoolingMode> modes) {
        this(dimension, modes, true);
    }

    /**
     * @param dimension the size of each token vector
     * @param modes at least one mode, in concatenation order
     * @param includePrompt whether the tokens of a prompt prepended to each text are pooled too
     */
    public Pooling(int dimension, List<PoolingMode> modes, boolean includePrompt) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("pooling needs at least one mode");
        }
        this.dimension = dimension;
        this.modes = List.copyOf(modes);
        this.includePrompt = includePrompt;
    }

    /** Mean pooling, the default of sentence-transformers. */
    public static Pooling mean(int dimension) {
        return new Pooling(dimension, List.of(PoolingMode.MEAN));
    }

    /**
     * Reads a Pooling module's {@code config.json}, as sentence-transformers 6 writes it
     * ({@code embedding_dimension}, {@code pooling_mode} as a name or a list) or as older versions did
     * ({@code word_embedding_dimension}, one {@code pooling_mode_*} switch per mode).
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file and key that is missing or wrong
     */
    public static Pooling read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        String dimensionKey = config.has("embedding_dimension") ? "embedding_dimension" : "word_embedding_dimension";
        int dimension = config.integer(dimensionKey)
                .orElseThrow(() -> config.error("field 'embedding_dimension' (or the older 'word_embedding_dimension') is missing"));
        List<PoolingMode> modes = config.field("pooling_mode").isPresent() ? modes(config) : legacyModes(config);
        try {
            return new Pooling(dimension, modes, config.bool("include_prompt").orElse(true));
        } catch (IllegalArgumentException e) {
            throw config.error(e.getMessage());
        }
    }

    /** {@code pooling_mode}: one mode's name, or a list of them in concatenation order. */
    private static List<PoolingMode> modes(ConfigFile config) {
        JsonNode value = config.field("pooling_mode").orElseThrow();
        List<JsonNode> names = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(names::add);
        } else {
            names.add(value);
        }
        if (names.isEmpty()) {
            throw config.error("field 'pooling_mode' is an empty list; name at least one of " + labels());
        }
        List<PoolingMode> modes = new ArrayList<>();
        for (JsonNode name : names) {
            modes.add(Arrays.stream(PoolingMode.values())
                    .filter(mode -> name.isTextual() && mode.label().equals(name.textValue()))
                    .findFirst()
                    .orElseThrow(() -> config.error("pooling_mode " + name + " is not a pooling mode (valid: " + labels() + ")")));
        }
        return modes;
    }

    /**
     * The {@code pooling_mode_*} switches of older folders, concatenated in the enum's order whatever
     * order the file lists them in; none switched on means mean pooling, as sentence-transformers 6 reads them.
     */
    private static List<PoolingMode> legacyModes(ConfigFile config) {
        Map<String, PoolingMode> byKey = Arrays.stream(PoolingMode.values())
                .collect(Collectors.toMap(PoolingMode::configKey, m -> m));
        for (Iterator<String> names = config.root().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith("pooling_mode_") && !byKey.containsKey(name) && config.bool(name).orElse(false)) {
                throw config.error("pooling mode '" + name + "' is not one sentence-transformers knows ("
                        + String.join(", ", byKey.keySet()) + ")");
            }
        }
        List<PoolingMode> modes = Arrays.stream(PoolingMode.values())
                .filter(mode -> config.bool(mode.configKey()).orElse(false))
                .toList();
        return modes.isEmpty() ? List.of(PoolingMode.MEAN) : modes;
    }

    private static String labels() {
        return Arrays.stream(PoolingMode.values()).map(PoolingMode::label).collect(Collectors.joining(", "));
    }

    /** The size of each token vector. */
    public int dimension() {
        return dimension;
    }

    /** The modes, in concatenation order. */
    public List<PoolingMode> modes() {
        return modes;
    }

    /** Whether the tokens of a prompt are pooled with the text's. */
    public boolean includePrompt() {
        return includePrompt;
    }

    /** The size of a pooled vector: the token vector size times the number of modes. */
    public int outputDimension() {
        return dimension * modes.size();
    }

    /** The token vectors pooled into one vector per text, leaving out prompts as configured. */
    @Override
    public Features apply(Features in) {
        return in.withSentence(pool(in.tokens(), in.promptLengthsOrZero(in.tokens().batchSize())));
    }

    @Override
    public Feature reads() {
        return Feature.TOKEN_EMBEDDINGS;
    }

    @Override
    public Feature gives() {
        return Feature.SENTENCE_EMBEDDING;
    }

    @Override
    public int inputWidth() {
        return dimension;
    }

    @Override
    public String inputWidthKey() {
        return "word_embedding_dimension";
    }

    @Override
    public int outputWidth(int width) {
        return outputDimension();
    }

    /** Pools every row of a batch. */
    public float[][] pool(TokenEmbeddings embeddings) {
        return pool(embeddings, new int[embeddings.batchSize()]);
    }

    /**
     * Pools every row of a batch whose texts start with a prompt of {@code promptLengths[row]} tokens
     * (0 for none); unless the prompt is included, those tokens are masked out as sentence-transformers
     * masks them: the first that many after any left padding.
     */
    public float[][] pool(TokenEmbeddings embeddings, int[] promptLengths) {
        if (promptLengths.length != embeddings.batchSize()) {
            throw new IllegalArgumentException("one prompt length per row: got " + promptLengths.length + " for "
                    + embeddings.batchSize() + " rows");
        }
        if (!includePrompt && Arrays.stream(promptLengths).anyMatch(n -> n > 0)) {
            embeddings = withoutPrompt(embeddings, promptLengths);
        }
        if (embeddings.hiddenSize() != dimension) {
            throw new IllegalArgumentException("token vectors have " + embeddings.hiddenSize()
                    + " values but pooling is configured for " + dimension);
        }
        float[][] pooled = new float[embeddings.batchSize()][];
        for (int row = 0; row < pooled.length; row++) {
            pooled[row] = poolRow(embeddings, row);
        }
        return pooled;
    }

    private static TokenEmbeddings withoutPrompt(TokenEmbeddings e, int[] promptLengths) {
        long[] mask = e.attentionMask().clone();
        for (int row = 0; row < e.batchSize(); row++) {
            int from = row * e.sequenceLength();
            int end = Math.min(firstRealToken(e, row) + promptLengths[row], e.sequenceLength());
            Arrays.fill(mask, from, from + end, 0L);
        }
        return new TokenEmbeddings(e.values(), mask, e.batchSize(), e.sequenceLength(), e.hiddenSize());
    }

    private float[] poolRow(TokenEmbeddings e, int row) {
        float[] out = new float[outputDimension()];
        int at = 0;
        for (PoolingMode mode : modes) {
            switch (mode) {
                case CLS:
                    System.arraycopy(e.values(), e.offset(row, firstRealToken(e, row)), out, at, dimension);
                    break;
                case MAX:
                    max(e, row, out, at);
                    break;
                case MEAN:
                    weightedSum(e, row, out, at, false, Scale.BY_WEIGHT);
                    break;
                case MEAN_SQRT_LEN:
                    weightedSum(e, row, out, at, false, Scale.BY_SQRT_WEIGHT);
                    break;
                case WEIGHTED_MEAN:
                    weightedSum(e, row, out, at, true, Scale.BY_WEIGHT);
                    break;
                case LAST_TOKEN:
                    int last = lastRealToken(e, row);
                    if (last >= 0) {
                        System.arraycopy(e.values(), e.offset(row, last), out, at, dimension);
                    }
                    break;
                default:
                    throw new AssertionError(mode);
            }
            at += dimension;
        }
        return out;
    }

    private enum Scale { BY_WEIGHT, BY_SQRT_WEIGHT }

    /**
     * Sum of real token vectors, each weighted by 1 or by its 1-based position in the padded row (so left
     * padding shifts the weights, as in sentence-transformers), then scaled.
     */
    private void weightedSum(TokenEmbeddings e, int row, float[] out, int at, boolean byPosition, Scale scale) {
        double[] sum = new double[dimension];
        double weights = 0;
        float[] values = e.values();
        for (int t = 0; t < e.sequenceLength(); t++) {
            if (!e.isReal(row, t)) {
                continue;
            }
            double w = byPosition ? t + 1 : 1;
            weights += w;
            int from = e.offset(row, t);
            for (int h = 0; h < dimension; h++) {
                sum[h] += w * values[from + h];
            }
        }
        double clamped = Math.max(weights, MIN_COUNT);
        double divisor = scale == Scale.BY_SQRT_WEIGHT ? Math.sqrt(clamped) : clamped;
        for (int h = 0; h < dimension; h++) {
            out[at + h] = (float) (sum[h] / divisor);
        }
    }

    /** Element-wise max over real tokens; -inf where there is none, as in sentence-transformers 6 (5.x: -1e9). */
    private void max(TokenEmbeddings e, int row, float[] out, int at) {
        float[] values = e.values();
        Arrays.fill(out, at, at + dimension, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < e.sequenceLength(); t++) {
            if (!e.isReal(row, t)) {
                continue;
            }
            int from = e.offset(row, t);
            for (int h = 0; h < dimension; h++) {
                out[at + h] = Math.max(out[at + h], values[from + h]);
            }
        }
    }

    /**
     * The first real token: the {@code [CLS]} token with right padding, the first after the padding with
     * left padding or after the prompt when it is excluded; position 0 when none is real (5.x took
     * position 0 always).
     */
    private static int firstRealToken(TokenEmbeddings e, int row) {
        for (int t = 0; t < e.sequenceLength(); t++) {
            if (e.isReal(row, t)) {
                return t;
            }
        }
        return 0;
    }

    /** The last real token, or -1 when none is real (whose vector then pools to zeros, as in sentence-transformers). */
    private static int lastRealToken(TokenEmbeddings e, int row) {
        for (int t = e.sequenceLength() - 1; t >= 0; t--) {
            if (e.isReal(row, t)) {
                return t;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return modes.stream().map(PoolingMode::label).collect(Collectors.joining("+"))
                + (includePrompt ? "" : " (prompt excluded)");
    }
}
