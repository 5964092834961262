package dev.sentence4j.multivector;

import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import java.util.Arrays;
import java.util.Set;

/**
 * The {@code HierarchicalTokenPooling} module: keeps a text's first {@code num_protected_tokens} vectors
 * (its {@code [CLS]}), clusters the others into {@code tokens / pool_factor} groups (at least one) by
 * Ward linkage on their cosine distances, and replaces each group by its mean, as sentence-transformers
 * 6 does with SciPy's {@code linkage(method="ward")} and {@code fcluster(criterion="maxclust")}; the
 * groups come in the order SciPy numbers them. Reads {@code config.json}: {@code pool_factor} (1, the
 * default, pools nothing), {@code num_protected_tokens} (default 1) and {@code tasks} (default
 * {@code ["document"]}). Immutable.
 */
public final class HierarchicalTokenPooling implements TokenPooling {
    private final int poolFactor;
    private final int protectedTokens;
    private final Set<TextRole> roles;

    /**
     * @param poolFactor keep about one vector in this many; 1 pools nothing
     * @param protectedTokens the leading vectors left as they are
     * @param roles the roles whose texts are pooled
     */
    public HierarchicalTokenPooling(int poolFactor, int protectedTokens, Set<TextRole> roles) {
        if (poolFactor < 1) {
            throw new IllegalArgumentException("pool_factor must be at least 1, got " + poolFactor);
        }
        if (protectedTokens < 0) {
            throw new IllegalArgumentException("num_protected_tokens must not be negative, got " + protectedTokens);
        }
        this.poolFactor = poolFactor;
        this.protectedTokens = protectedTokens;
        this.roles = roles.isEmpty() ? Set.of() : Set.copyOf(roles);
    }

    /**
     * Reads the module's {@code config.json}, as sentence-transformers saves it.
     *
     * @throws dev.sentence4j.model.ModelLoadException naming the file, field and value that is wrong
     */
    public static HierarchicalTokenPooling read(ModuleFolder module) {
        ConfigFile config = module.config("config.json");
        int poolFactor = config.integer("pool_factor").orElse(1);
        if (poolFactor < 1) {
            throw config.error("pool_factor must be at least 1 (1 pools nothing), got " + poolFactor);
        }
        int protectedTokens = config.integer("num_protected_tokens").orElse(1);
        if (protectedTokens < 0) {
            throw config.error("num_protected_tokens must not be negative, got " + protectedTokens);
        }
        return new HierarchicalTokenPooling(poolFactor, protectedTokens, TextRole.read(config, "tasks"));
    }

    @Override
    public boolean appliesTo(TextRole role) {
        return poolFactor > 1 && roles.contains(role);
    }

    @Override
    public float[][] pool(float[][] tokens) {
        int kept = Math.min(protectedTokens, tokens.length);
        float[][] toPool = Arrays.copyOfRange(tokens, kept, tokens.length);
        int n = toPool.length;
        int clusters = Math.max(n / poolFactor, 1);
        if (clusters >= n) {
            return tokens.clone();
        }
        int[] labels = WardClusters.labels(cosineDistances(toPool), n, clusters);
        int groups = Arrays.stream(labels).max().orElse(0);
        int dim = tokens[0].length;
        float[][] sums = new float[groups][dim];
        int[] counts = new int[groups];
        for (int t = 0; t < n; t++) {
            float[] sum = sums[labels[t] - 1];
            for (int k = 0; k < dim; k++) {
                sum[k] += toPool[t][k];
            }
            counts[labels[t] - 1]++;
        }
        float[][] pooled = new float[kept + groups][];
        System.arraycopy(tokens, 0, pooled, 0, kept);
        for (int g = 0; g < groups; g++) {
            float[] mean = new float[dim];
            for (int k = 0; k < dim; k++) {
                mean[k] = sums[g][k] / counts[g];
            }
            pooled[kept + g] = mean;
        }
        return pooled;
    }

    /**
     * The condensed matrix (upper triangle, row by row) of {@code 1 - cosine}, clipped to [0, 2], in float
     * precision as sentence-transformers computes it on vectors it takes as unit length.
     */
    private static double[] cosineDistances(float[][] vectors) {
        int n = vectors.length;
        double[] distances = new double[n * (n - 1) / 2];
        int index = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < vectors[i].length; k++) {
                    dot += (double) vectors[i][k] * vectors[j][k];
                }
                float distance = 1f - (float) dot;
                distances[index++] = Math.min(2f, Math.max(0f, distance));
            }
        }
        return distances;
    }

    @Override
    public String toString() {
        return "HierarchicalTokenPooling(pool_factor " + poolFactor + ", " + protectedTokens + " protected, for " + roles + ")";
    }
}
