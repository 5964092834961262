package dev.sentence4j.spark;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.TextTooLongException;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.api.java.UDF1;

/** The SQL function {@link SentenceFunctions} registers: one text in, its vector out, on the executor's shared model. */
final class EmbedFunction implements UDF1<String, Object> {
    private static final long serialVersionUID = 1L;

    private final EncodeSettings settings;
    private transient EncodeOptions options;

    EmbedFunction(EncodeSettings settings) {
        this.settings = settings;
    }

    @Override
    public Object call(String text) {
        if (text == null) {
            return null;
        }
        if (options == null) {
            options = settings.encodeOptions();
        }
        int partition = TaskContext.get() == null ? -1 : TaskContext.getPartitionId();
        try {
            return settings.column().values(settings.loadedModel().encode(List.of(text), options))[0];
        } catch (TextTooLongException e) {
            throw new EncodeFailure("partition " + partition + ": a text of " + e.tokenCount() + " tokens, more than the "
                    + e.maxSeqLength() + " the model takes (long-input policy error)", e);
        } catch (RuntimeException e) {
            throw new EncodeFailure("partition " + partition + ": " + e.getMessage(), e);
        }
    }
}
