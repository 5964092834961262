package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.model.ModelFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A random BERT cross-encoder builds and scores each pair; the same seed gives the same model. */
class RandomCheckpointsTest {
    @TempDir
    Path temp;

    @Test
    void aRandomCrossEncoderBuildsAndScoresEachPair() throws Exception {
        RandomCheckpoints.BertShape small = new RandomCheckpoints.BertShape(64, 2, 4, 128, 30522, 128, 3);
        float[] first = logits(RandomCheckpoints.bert(temp.resolve("a"), small, Head.SEQUENCE_CLASSIFICATION, 7));
        float[] again = logits(RandomCheckpoints.bert(temp.resolve("b"), small, Head.SEQUENCE_CLASSIFICATION, 7));
        float[] other = logits(RandomCheckpoints.bert(temp.resolve("c"), small, Head.SEQUENCE_CLASSIFICATION, 8));

        assertThat(first).hasSize(2 * 3).doesNotContain(Float.NaN);
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first[0]).isNotEqualTo(first[3]);
    }

    private static float[] logits(Path folder) throws Exception {
        var recipe = CheckpointGraph.recipe(ModelFiles.folder(folder), "model.safetensors", Head.SEQUENCE_CLASSIFICATION, false);
        long[][] ids = {{101, 2023, 2003, 102, 2009, 102}, {101, 7592, 102, 2088, 102, 0}};
        long[][] mask = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}};
        long[][] types = {{0, 0, 0, 0, 1, 1}, {0, 0, 0, 1, 1, 0}};
        try (GraphSession session = GraphSession.of(recipe.build().get())) {
            GraphSession.Output output = session.run(ids, mask, types);
            assertThat(output.name()).isEqualTo("logits");
            assertThat(output.shape()).containsExactly(2, 3);
            return output.values();
        }
    }
}
