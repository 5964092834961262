package dev.sentence4j.cli;

import dev.sentence4j.CrossEncoder;
import dev.sentence4j.LoadOptions;
import dev.sentence4j.SentenceTransformer;
import dev.sentence4j.SparseEncoder;
import dev.sentence4j.hub.RepoSnapshot;
import dev.sentence4j.model.ModelFiles;
import dev.sentence4j.model.SentenceTransformersConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentence4j download}: a Hub model into the Hugging Face cache, ready to run offline. */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Downloads a model from the Hugging Face Hub into the Hugging Face cache.",
        description = {
            "Downloads the files a model needs (its configuration, tokenizer.json and ONNX file, or its checkpoint "
                    + "when it has no ONNX export) from the "
                    + "Hugging Face Hub into the cache Python's huggingface_hub uses (HF_HUB_CACHE, else HF_HOME/hub, "
                    + "else ~/.cache/huggingface/hub), checks that the model loads, and prints its snapshot folder.",
            "Later runs, also with HF_HUB_OFFLINE=1, load it from there. HF_TOKEN gives access to private and "
                    + "gated models; HF_ENDPOINT names a mirror."
        })
final class DownloadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The model's Hub id, such as sentence-transformers/all-MiniLM-L6-v2.")
    String id;

    @Mixin
    LoadChoices choices;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadOptions options = choices.applyTo(Main.loadDefaults(spec));
        RepoSnapshot snapshot = Main.hub(spec).open(ModelFiles.hubId(id), options.revision());
        ModelFiles files = ModelFiles.hub(snapshot);
        // Loading runs native code: a stop waits for it, then closes the model.
        try (AutoCloseable model = ProcessStop.PROCESS.open(() -> load(files, options))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(snapshot.folder());
            out.flush();
        }
        return 0;
    }

    /** The model by its family's class, which checks that it loads; another family is refused, naming it. */
    private static AutoCloseable load(ModelFiles files, LoadOptions options) {
        return switch (SentenceTransformersConfig.read(files).family()) {
            case CROSS_ENCODER -> CrossEncoder.load(files, options);
            case SPARSE_ENCODER -> SparseEncoder.load(files, options);
            default -> SentenceTransformer.load(files, options);
        };
    }
}
