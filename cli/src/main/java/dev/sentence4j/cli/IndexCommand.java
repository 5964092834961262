package dev.sentence4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sentence4j index}: a persistent vector index of a corpus, built once and queried often. */
@Command(name = "index", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Builds and queries a vector index of a corpus.",
        description = "For corpora too large to encode at every search: 'index build' encodes the corpus once into "
                + "an HNSW index folder, 'index query' searches it in milliseconds, approximately (it may miss a "
                + "few of the true nearest texts that the exact 'search' finds).",
        subcommands = {IndexBuildCommand.class, IndexQueryCommand.class})
final class IndexCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
