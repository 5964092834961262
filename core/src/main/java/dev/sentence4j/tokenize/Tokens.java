package dev.sentence4j.tokenize;

/**
 * One text as tokens, special tokens included, ready to be padded into a batch. The arrays are
 * shared, not copied: treat them as read-only.
 *
 * @param ids token ids
 * @param typeIds segment ids, one per token
 * @param untruncatedLength how many tokens the whole text makes, before truncation
 */
public record Tokens(long[] ids, long[] typeIds, int untruncatedLength) {
    public Tokens {
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException("ids and type ids differ in length: " + ids.length + " and " + typeIds.length);
        }
    }

    /** The number of tokens kept. */
    public int length() {
        return ids.length;
    }

    /** Whether tokens were cut off to fit the model's maximum sequence length. */
    public boolean truncated() {
        return untruncatedLength > ids.length;
    }
}
