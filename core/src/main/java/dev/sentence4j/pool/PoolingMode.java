package dev.sentence4j.pool;

/**
 * One way of pooling token vectors into a sentence vector. Declared in the order in which folders
 * written before 6.x, with one switch per mode, concatenate them.
 */
public enum PoolingMode {
    /** The first token's vector ({@code [CLS]}). */
    CLS("cls", "pooling_mode_cls_token"),
    /** Element-wise maximum over the real tokens. */
    MAX("max", "pooling_mode_max_tokens"),
    /** Mean over the real tokens. */
    MEAN("mean", "pooling_mode_mean_tokens"),
    /** Sum over the real tokens divided by the square root of their count. */
    MEAN_SQRT_LEN("mean_sqrt_len_tokens", "pooling_mode_mean_sqrt_len_tokens"),
    /** Mean over the real tokens weighted by position (1, 2, 3, ...). */
    WEIGHTED_MEAN("weightedmean", "pooling_mode_weightedmean_tokens"),
    /** The last real token's vector. */
    LAST_TOKEN("lasttoken", "pooling_mode_lasttoken");

    private final String label;
    private final String configKey;

    PoolingMode(String label, String configKey) {
        this.label = label;
        this.configKey = configKey;
    }

    /** The name sentence-transformers gives this mode ({@code "mean"}, {@code "cls"}, ...). */
    public String label() {
        return label;
    }

    /** The field of {@code 1_Pooling/config.json} that turns this mode on. */
    public String configKey() {
        return configKey;
    }
}
