package dev.sentence4j.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentence4j.Shared;
import dev.sentence4j.model.ModelFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * int8 graphs built from st6 checkpoints (quantized Q/K/V feeding attention, with MPNet's position
 * bias; DistilBERT's own layout) stay close to the fixture's float32 export at every real token, and
 * really differ from it. The float32 graphs are proven end to end by CheckpointFixturesTest.
 */
class Int8GraphsTest {
    private static final int BATCH = 16;
    private static final int HIDDEN = 32;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-bert-mean", "mpnet-mean", "seed-distilbert-mean"})
    void int8GraphsStayCloseToTheExport(String name) throws Exception {
        Path folder = Shared.path("fixtures/st6/models/" + name);
        var recipe = CheckpointGraph.recipe(ModelFiles.folder(folder), CheckpointFolders.checkpoint(folder), Head.NONE, true);
        long[][] ids = new ObjectMapper().readValue(Shared.path("fixtures/st6/reference/" + name + ".public.tokens.json").toFile(),
                long[][].class);
        GraphSession.Batch batch = GraphSession.Batch.of(List.of(ids).subList(0, BATCH));
        try (GraphSession built = GraphSession.of(recipe.build().get());
                GraphSession exported = GraphSession.of(folder.resolve("onnx/model.onnx"))) {
            float[] actual = built.run(batch).values();
            float[] expected = exported.run(batch).values();
            double worst = 0;
            double lowestCosine = 1;
            for (int b = 0; b < batch.ids().length; b++) {
                for (int t = 0; t < batch.ids()[b].length; t++) {
                    if (batch.mask()[b][t] == 1) {
                        int at = (b * batch.ids()[b].length + t) * HIDDEN;
                        double dot = 0;
                        double aa = 0;
                        double ee = 0;
                        for (int i = at; i < at + HIDDEN; i++) {
                            dot += actual[i] * expected[i];
                            aa += actual[i] * actual[i];
                            ee += expected[i] * expected[i];
                            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                        }
                        lowestCosine = Math.min(lowestCosine, dot / Math.sqrt(aa * ee));
                    }
                }
            }
            assertThat(lowestCosine).isGreaterThan(0.98);
            assertThat(worst).isGreaterThan(1e-5);
        }
    }
}
