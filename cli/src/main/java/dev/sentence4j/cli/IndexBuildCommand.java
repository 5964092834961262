package dev.sentence4j.cli;

import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.index.IndexException;
import dev.sentence4j.index.IndexInfo;
import dev.sentence4j.index.IndexedText;
import dev.sentence4j.index.VectorIndexBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentence4j index build}: encodes a corpus into an index folder. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Encodes a corpus into a vector index folder.",
        description = {
            "Encodes every text of the corpus and writes the vectors, each with its text and line number, to a new "
                    + "index folder, with the model's name, dimension and similarity function.",
            "The folder appears only once complete; it must not exist yet, or be empty."
        })
final class IndexBuildCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--corpus", required = true, paramLabel = "FILE",
            description = "The texts to index: one per line, or .jsonl (see --field) or .csv (see --column).")
    Path corpus;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder to create.")
    Path index;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<InputText> texts = inputOptions.read(corpus);
        if (texts.isEmpty()) {
            throw new CliException(corpus + " holds no texts to index");
        }
        long start = System.nanoTime();
        try (SentenceTransformer model = modelOptions.load();
                VectorIndexBuilder builder = VectorIndexBuilder.create(index, model)) {
            // Ctrl-C skips close(); the hook still removes the unfinished index's hidden folder.
            Thread abandon = new Thread(builder::close, "sentence4j-abandon-index");
            Runtime.getRuntime().addShutdownHook(abandon);
            try {
                InChunks.run(texts, spec.commandLine().getErr(), chunk -> builder.add(
                        chunk.stream().map(text -> new IndexedText(text.line(), text.text())).toList()));
                IndexInfo info = builder.commit();
                spec.commandLine().getErr().println(String.format(Locale.ROOT, "indexed %d texts of %s into %s with %s in "
                        + "%.1f s", info.count(), corpus, index, info.describeModel(), (System.nanoTime() - start) / 1e9));
            } finally {
                removeHook(abandon);
            }
        } catch (IndexException e) {
            throw new CliException(e.getMessage(), e);
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it removes the unfinished index.
        }
    }
}
