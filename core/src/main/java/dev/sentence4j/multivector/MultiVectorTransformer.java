package dev.sentence4j.multivector;

import dev.sentence4j.module.Feature;
import dev.sentence4j.module.Features;
import dev.sentence4j.module.InputModule;
import dev.sentence4j.module.TokenEmbeddings;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import dev.sentence4j.transformer.Transformer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input module of a multi-vector model: its Transformer with a tokenizer per role, each cutting texts
 * to the role's length ({@code query_length}, {@code document_length}), and ColBERT's query expansion, as
 * sentence-transformers 6's Transformer tokenizes for {@code task="query"} and {@code task="document"}.
 * Thread-safe; closing it closes the transformer and the tokenizers.
 */
public final class MultiVectorTransformer implements InputModule {
    private final Transformer transformer;
    private final RoleLengths lengths;
    private final Map<TextRole, Tokenizer> tokenizers;
    private final long expansionId;
    private final int width;

    /**
     * @param transformer the graph (its own tokenizer is not used: the role tokenizers replace it)
     * @param lengths query and document lengths, query expansion
     * @param tokenizers a tokenizer per role, each cutting to the role's length
     * @param expansionId the id of the query expansion token, or -1 without expansion
     * @param width the length of the token vectors the transformer gives
     */
    public MultiVectorTransformer(Transformer transformer, RoleLengths lengths, Map<TextRole, Tokenizer> tokenizers,
            long expansionId, int width) {
        this.transformer = transformer;
        this.lengths = lengths;
        this.tokenizers = new EnumMap<>(tokenizers);
        this.expansionId = expansionId;
        this.width = width;
    }

    /** The transformer giving the token vectors. */
    public Transformer transformer() {
        return transformer;
    }

    /** The query and document lengths and the query expansion. */
    public RoleLengths lengths() {
        return lengths;
    }

    /** The tokenizer of a role: it cuts texts to the role's length. */
    public Tokenizer tokenizer(TextRole role) {
        return tokenizers.get(role);
    }

    /** The tokenizer of documents, whose length is what the model takes of a text unless it is a query. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer(TextRole.DOCUMENT);
    }

    /** The fewest positions a text of the role runs with: the expansion length for a query, else none. */
    public int floor(TextRole role) {
        return role == TextRole.QUERY ? lengths.expansion().map(QueryExpansion::length).orElse(0) : 0;
    }

    /**
     * A batch of rows tokenized for the role, padded as the transformer runs it: a query with expansion is
     * padded on the right to at least the expansion length with the expansion token, attended only if the
     * model says, and beyond that with ordinary padding; anything else as its tokenizer pads.
     */
    public BatchEncoding batch(List<Tokens> rows, TextRole role) {
        QueryExpansion expansion = role == TextRole.QUERY ? lengths.expansion().orElse(null) : null;
        if (expansion == null) {
            return tokenizer(role).pad(rows);
        }
        int batchWidth = expansion.length();
        for (Tokens row : rows) {
            batchWidth = Math.max(batchWidth, row.length());
        }
        int cells = rows.size() * batchWidth;
        long[] ids = new long[cells];
        long[] attention = new long[cells];
        long[] types = new long[cells];
        Arrays.fill(ids, tokenizer(role).padId());
        for (int r = 0; r < rows.size(); r++) {
            Tokens row = rows.get(r);
            int offset = r * batchWidth;
            int expanded = offset + Math.max(row.length(), expansion.length());
            System.arraycopy(row.ids(), 0, ids, offset, row.length());
            System.arraycopy(row.typeIds(), 0, types, offset, row.length());
            Arrays.fill(attention, offset, offset + row.length(), 1L);
            Arrays.fill(ids, offset + row.length(), expanded, expansionId);
            if (expansion.attend()) {
                Arrays.fill(attention, offset + row.length(), expanded, 1L);
            }
        }
        return new BatchEncoding(ids, attention, types, rows.size(), batchWidth);
    }

    /** Where a row of a {@link #batch} starts: after the padding of a left-padding tokenizer, else at 0. */
    public int start(BatchEncoding batch, Tokens row, TextRole role) {
        boolean left = floor(role) == 0 && tokenizer(role).settings().paddingSide() == PaddingSide.LEFT;
        return left ? batch.sequenceLength() - row.length() : 0;
    }

    /** Runs the transformer on a {@link #batch}. */
    public TokenEmbeddings run(BatchEncoding batch) {
        return transformer.run(batch);
    }

    @Override
    public Features features(BatchEncoding batch) {
        return Features.ofTokens(run(batch));
    }

    @Override
    public Feature gives() {
        return Feature.TOKEN_EMBEDDINGS;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public String source() {
        return transformer.source();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>(transformer.facts());
        facts.put("query_length", tokenizer(TextRole.QUERY).settings().maxSeqLength());
        facts.put("query_expansion", lengths.expansion().map(Object::toString).orElse(null));
        facts.put("document_length", tokenizer(TextRole.DOCUMENT).settings().maxSeqLength());
        return facts;
    }

    @Override
    public void close() {
        try {
            tokenizers.values().forEach(Tokenizer::close);
        } finally {
            transformer.close();
        }
    }

    @Override
    public String toString() {
        return "Transformer(query " + tokenizer(TextRole.QUERY).settings().maxSeqLength() + " tokens"
                + lengths.expansion().map(e -> ", expanded " + e).orElse("") + ", documents "
                + tokenizer(TextRole.DOCUMENT).settings().maxSeqLength() + " tokens)";
    }
}
