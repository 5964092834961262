package dev.sentence4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.PredictOptions;
import dev.sentence4j.TextPair;
import dev.sentence4j.graph.CheckpointGraph;
import dev.sentence4j.graph.Head;
import dev.sentence4j.graph.RandomCheckpoints;
import dev.sentence4j.graph.SelfContainedOnnx;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.tokenize.BatchEncoding;
import dev.sentence4j.tokenize.ChatTemplate;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rerankers of one size in alternating rounds (each round runs every contender once, in an order that
 * rotates, so a machine whose load moves is fair to all): pairs per second of a BERT cross-encoder, a
 * ModernBERT one and a Qwen3 LLM reranker (chat template, LogitScore), all of all-MiniLM-L6-v2's hidden
 * size (384), depth (6) and MLP width (1536), float32 and int8 graphs built from random checkpoints;
 * then the LLM reranker's graph computing the two vocabulary rows LogitScore reads against the same
 * graph computing the whole language-model head (Qwen3's 151,669 rows) on the same batches.
 *
 * <p>Usage: {@code RerankerRounds [rounds (5)] [pairs (256)] [heads]}; {@code heads} runs only the
 * comparison of the LLM reranker's two rows with its full LM head.
 */
public final class RerankerRounds {
    private static final int QWEN_VOCABULARY = 151_669;

    private RerankerRounds() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        List<TextPair> pairs = BenchTexts.sentences().stream().limit(count)
                .map(document -> new TextPair(RerankThroughput.QUERY, document)).toList();
        Path root = Files.createTempDirectory("sentence4j-reranker-rounds");
        RandomCheckpoints.BertShape shape = RandomCheckpoints.BertShape.miniLmCrossEncoder();
        Path bert = RandomCheckpoints.bert(root.resolve("bert"), shape, Head.SEQUENCE_CLASSIFICATION, 1);
        Path modernBert = RandomCheckpoints.modernBert(root.resolve("modernbert"), shape, 2);
        Path qwen3 = RandomCheckpoints.qwen3Reranker(root.resolve("qwen3"), new RandomCheckpoints.BertShape(shape.hidden(),
                shape.layers(), shape.heads(), shape.intermediate(), QWEN_VOCABULARY, 512, 1), 3);
        System.out.printf(Locale.ROOT, "%d pairs per run, %d rounds, %d threads, load average %s%n", pairs.size(), rounds,
                Runtime.getRuntime().availableProcessors(), CheckpointRounds.loadAverage());
        if (args.length > 2 && args[2].equals("heads")) {
            try (CrossEncoder model = CrossEncoder.load(qwen3.toString(), LoadOptions.defaults().withCheckpoint(true))) {
                headRows(model, qwen3, pairs, rounds);
            }
            return;
        }
        Map<String, CrossEncoder> models = new LinkedHashMap<>();
        try {
            for (boolean int8 : new boolean[] {false, true}) {
                LoadOptions options = LoadOptions.defaults().withCheckpoint(true).withQuantized(int8);
                String type = int8 ? " int8" : " float32";
                models.put("bert" + type, CrossEncoder.load(bert.toString(), options));
                models.put("modernbert" + type, CrossEncoder.load(modernBert.toString(), options));
                models.put("qwen3-llm" + type, CrossEncoder.load(qwen3.toString(), options));
            }
            for (Map.Entry<String, CrossEncoder> model : models.entrySet()) {
                int tokens = model.getValue().tokenize(pairs, PredictOptions.defaults()).tokenCount(0);
                System.out.printf(Locale.ROOT, "%s: the first pair is %d tokens%n", model.getKey(), tokens);
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(models.keySet());
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    long start = System.nanoTime();
                    models.get(name).predict(pairs);
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(pairs.size() / ((System.nanoTime() - start) / 1e9));
                }
            }
            rates.forEach((name, values) -> System.out.printf(Locale.ROOT, "%-18s median %.1f pairs/s (min %.1f, max %.1f)%n",
                    name, median(values), values.stream().mapToDouble(v -> v).min().orElseThrow(),
                    values.stream().mapToDouble(v -> v).max().orElseThrow()));
            headRows(models.get("qwen3-llm float32"), qwen3, pairs, rounds);
        } finally {
            models.values().forEach(CrossEncoder::close);
        }
    }

    /**
     * The LLM reranker's graph with the two rows LogitScore reads against the whole LM head, each a
     * self-contained ONNX file on one ONNX Runtime session of the same settings, on the same padded batches.
     */
    private static void headRows(CrossEncoder model, Path folder, List<TextPair> pairs, int rounds)
            throws IOException, OrtException {
        Tokenizer tokenizer = model.tokenizer();
        ChatTemplate template = model.transformer().chatTemplate().orElseThrow();
        List<Tokens> rows = new ArrayList<>();
        for (TextPair pair : pairs) {
            long[] ids = tokenizer.idsAsRendered(template.renderPair(null, pair.first(), pair.second()));
            rows.add(new Tokens(ids, new long[ids.length], ids.length));
        }
        List<BatchEncoding> batches = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += 32) {
            batches.add(tokenizer.pad(rows.subList(start, Math.min(rows.size(), start + 32))));
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        try {
            for (List<Integer> vocabulary : List.of(List.of(RandomCheckpoints.YES, RandomCheckpoints.NO), List.<Integer>of())) {
                Path file = folder.resolve(vocabulary.isEmpty() ? "full-head.onnx" : "two-rows.onnx");
                SelfContainedOnnx.write(CheckpointGraph.recipe(ModelFiles.folder(folder), "model.safetensors", Head.CAUSAL_LM,
                        false, vocabulary).build().get(), file);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
                sessions.put(vocabulary.isEmpty() ? "full LM head" : "2 rows", environment.createSession(file.toString(), options));
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(sessions.keySet());
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    long start = System.nanoTime();
                    for (BatchEncoding batch : batches) {
                        run(environment, sessions.get(name), batch);
                    }
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(pairs.size() / ((System.nanoTime() - start) / 1e9));
                }
            }
            rates.forEach((name, values) -> System.out.printf(Locale.ROOT,
                    "qwen3-llm graph, %-12s median %.1f pairs/s (min %.1f, max %.1f), batches of 32%n", name, median(values),
                    values.stream().mapToDouble(v -> v).min().orElseThrow(), values.stream().mapToDouble(v -> v).max().orElseThrow()));
            System.out.printf(Locale.ROOT, "2 rows / full LM head: %.2f%n", median(rates.get("2 rows")) / median(rates.get("full LM head")));
        } finally {
            for (OrtSession session : sessions.values()) {
                session.close();
            }
        }
    }

    private static void run(OrtEnvironment environment, OrtSession session, BatchEncoding batch) throws OrtException {
        long[] shape = {batch.batchSize(), batch.sequenceLength()};
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(batch.inputIds()), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(batch.attentionMask()), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask))) {
            if (result.size() != 1) {
                throw new IllegalStateException("expected one output");
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
