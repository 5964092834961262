package dev.sentence4j.cli;

import static dev.sentence4j.VectorAssertions.REFERENCE_TOLERANCE;
import static dev.sentence4j.VectorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.EncodeOptions;
import dev.sentence4j.EncodeResult;
import dev.sentence4j.LongInputs;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.TestModels;
import dev.sentence4j.io.Npy;
import dev.sentence4j.quantize.Precision;
import dev.sentence4j.quantize.Quantizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode's output options: prompts, Matryoshka truncation, quantized precisions, long inputs, token counts. */
class EncodeOutputOptionsTest {
    private static final String STSB = "reference/stsb-dev-sample.txt";
    private static final String EDGE = "reference/edge-cases.txt";

    @TempDir
    Path dir;

    private static float[][] reference() throws IOException {
        return Npy.read(Shared.path("reference/stsb-dev-sample.all-MiniLM-L6-v2.npy"));
    }

    @Test
    void truncatedInt8VectorsAreTheReferenceQuantized() throws IOException {
        Path output = dir.resolve("int8.npy");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--truncate-dim", "64", "--precision", "int8");

        assertThat(run.status()).as(run.err()).isZero();
        float[][] truncated = Arrays.stream(reference()).map(v -> Arrays.copyOf(v, 64)).toArray(float[][]::new);
        byte[][] expected = Quantizer.quantize(truncated, Precision.INT8, null);
        byte[][] actual = Npy.readBytes(output, Npy.DType.INT8);
        assertThat(actual).hasDimensions(200, 64);
        for (int i = 0; i < 200; i++) {
            for (int d = 0; d < 64; d++) {
                // Vectors agree to 1e-5, so a value may land on the other side of a rounding step.
                assertThat(Math.abs(actual[i][d] - expected[i][d])).as("[%d][%d]", i, d).isLessThanOrEqualTo(1);
            }
        }
    }

    /**
     * --calibration scales int8 by the calibration vectors' per-dimension ranges, not the input's own:
     * {@code (v - min) / ((max - min) / 255) - 128}, cut toward zero, as sentence-transformers'
     * {@code quantize_embeddings} writes it. The calibration set is the reference vectors and their
     * doubles, so its ranges are wider than the input's.
     */
    @Test
    void int8WithCalibrationUsesTheCalibrationRanges() throws IOException {
        float[][] reference = reference();
        float[][] calibration = new float[2 * reference.length][];
        for (int i = 0; i < reference.length; i++) {
            calibration[i] = reference[i];
            calibration[reference.length + i] = new float[reference[i].length];
            for (int d = 0; d < reference[i].length; d++) {
                calibration[reference.length + i][d] = 2 * reference[i][d];
            }
        }
        Path calibrationFile = dir.resolve("calibration.npy");
        Npy.write(calibrationFile, calibration);
        Path output = dir.resolve("calibrated.npy");
        Path plain = dir.resolve("plain.npy");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--precision", "int8", "--calibration", calibrationFile.toString());
        CommandRun uncalibrated = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", plain.toString(),
                "--precision", "int8");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(uncalibrated.status()).as(uncalibrated.err()).isZero();
        byte[][] actual = Npy.readBytes(output, Npy.DType.INT8);
        int dim = reference[0].length;
        assertThat(actual).hasDimensions(reference.length, dim);
        for (int d = 0; d < dim; d++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float[] vector : calibration) {
                min = Math.min(min, vector[d]);
                max = Math.max(max, vector[d]);
            }
            double step = (max - min) / 255;
            for (int i = 0; i < reference.length; i++) {
                long expected = (long) ((reference[i][d] - min) / step - 128);
                // Vectors agree to 1e-5, so a value may land on the other side of a rounding step.
                assertThat(Math.abs(actual[i][d] - expected)).as("[%d][%d]", i, d).isLessThanOrEqualTo(1);
            }
        }
        // Without calibration the input's own, narrower ranges spread the same vectors wider.
        byte[][] own = Npy.readBytes(plain, Npy.DType.INT8);
        long differing = 0;
        for (int i = 0; i < reference.length; i++) {
            for (int d = 0; d < dim; d++) {
                differing += Math.abs(own[i][d] - actual[i][d]) > 1 ? 1 : 0;
            }
        }
        assertThat(differing).as("values that differ by more than a rounding step").isGreaterThan(reference.length * dim / 2);
    }

    @Test
    void ubinaryPacksTheSignsEightToAByte() throws IOException {
        Path output = dir.resolve("bits.npy");

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--precision", "ubinary");

        assertThat(run.status()).as(run.err()).isZero();
        byte[][] expected = Quantizer.quantize(reference(), Precision.UBINARY, null);
        byte[][] actual = Npy.readBytes(output, Npy.DType.UINT8);
        assertThat(actual).hasDimensions(200, 48);
        long differentBits = 0;
        for (int i = 0; i < 200; i++) {
            for (int b = 0; b < 48; b++) {
                differentBits += Integer.bitCount((actual[i][b] ^ expected[i][b]) & 0xff);
            }
        }
        // Only a value within 1e-5 of zero could flip; 76,800 bits leave room for a handful at most.
        assertThat(differentBits).isLessThanOrEqualTo(5);
        assertThat(run.errLines()).anyMatch(line -> line.startsWith("wrote 200 vectors of dim 48 (ubinary)"));
    }

    @Test
    void promptsGoThroughToTheModel() throws IOException {
        Path output = dir.resolve("query.npy");
        List<String> texts = Files.readAllLines(Shared.path("data/seed-sentences.txt"), StandardCharsets.UTF_8);

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg("data/seed-sentences.txt"), "--output", output.toString(),
                "--prompt", "query: ");

        assertThat(run.status()).as(run.err()).isZero();
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        float[][] actual = Npy.read(output);
        assertClose(actual, model.encode(texts, EncodeOptions.defaults().withPrompt("query: ")), 1e-6, texts);
        float[][] plain = model.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(actual[i]).isNotEqualTo(plain[i]);
        }
        assertThat(CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--prompt", "a", "--prompt-name", "b").status()).isEqualTo(2);
        CommandRun unknown = CommandRun.of("encode", "--input", Shared.arg(STSB), "--output", output.toString(),
                "--prompt-name", "query");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.errLines()).singleElement().asString().contains("no prompt named 'query'");
    }

    @Test
    void longInputsAreCountedOrRefusedByLine() throws IOException {
        Path output = dir.resolve("edge.npy");
        Path counts = dir.resolve("counts.tsv");
        List<String> texts = Files.readAllLines(Shared.path(EDGE), StandardCharsets.UTF_8);

        CommandRun run = CommandRun.of("encode", "--input", Shared.arg(EDGE), "--output", output.toString(),
                "--token-counts", counts.toString());

        assertThat(run.status()).as(run.err()).isZero();
        SentenceTransformer model = TestModels.get(Shared.MINILM);
        EncodeResult expected = model.encodeWithDetails(texts, EncodeOptions.defaults());
        List<String> rows = Files.readAllLines(counts);
        assertThat(rows).hasSize(11).first().isEqualTo("line\ttokens\ttruncated");
        for (int i = 0; i < texts.size(); i++) {
            assertThat(rows.get(i + 1)).isEqualTo((i + 1) + "\t" + expected.tokenCounts()[i] + "\t" + expected.truncated()[i]);
        }
        assertThat(expected.truncated()[0]).isTrue();

        CommandRun refused = CommandRun.of("encode", "--input", Shared.arg(EDGE), "--output", dir.resolve("no.npy").toString(),
                "--long-input", "error");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().isEqualTo("sentence4j: " + Shared.arg(EDGE) + ", line 1: "
                + expected.tokenCounts()[0] + " tokens, more than the 256 the model takes (--long-input error)");
        assertThat(dir.resolve("no.npy")).doesNotExist();

        CommandRun chunked = CommandRun.of("encode", "--input", Shared.arg(EDGE), "--output", output.toString(),
                "--long-input", "chunk");
        assertThat(chunked.status()).as(chunked.err()).isZero();
        float[][] chunkedRows = Npy.read(output);
        assertClose(chunkedRows, model.encode(texts, EncodeOptions.defaults().withLongInputs(LongInputs.CHUNK)), 1e-6, texts);
        // Texts that fit the model are encoded whole, as the reference vectors were.
        float[][] reference = Npy.read(Shared.path("reference/edge-cases.all-MiniLM-L6-v2.npy"));
        for (int i = 0; i < texts.size(); i++) {
            if (!expected.truncated()[i]) {
                assertClose(chunkedRows[i], reference[i], REFERENCE_TOLERANCE);
            }
        }
        assertThat(expected.truncated()).contains(false);
    }

    @Test
    void theInt8BuiltInStillRanksTheJelloFirst() {
        CommandRun run = CommandRun.of("similarity", "--quantized", "--input", Shared.arg("data/seed-sentences.txt"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.outLines().get(1)).endsWith("The person box was packed with jelly many dozens of months later.");
    }
}
