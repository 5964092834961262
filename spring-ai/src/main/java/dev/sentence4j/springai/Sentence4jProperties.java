package dev.sentence4j.springai;

import org.springframework.ai.document.MetadataMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code sentence4j.*} properties: which model the auto-configuration loads and how it encodes.
 *
 * @param model A model folder, a built-in model's id, or a Hugging Face Hub id.
 * @param revision For a Hub model, the branch, tag or commit to load (default main).
 * @param quantized Whether to run the model's int8 ONNX export instead of its float32 one.
 * @param onnxFile The ONNX file to run, as a path inside the model folder (default: the model's own).
 * @param threads How many batches run at once, one core each; 0 for one per physical core.
 * @param batchSize The most texts per transformer run.
 * @param normalize Unit-length vectors forced on or off; unset follows the model's Normalize module.
 * @param promptName One of the model's prompts, by name, for every text; unset for its default prompt.
 * @param dimensions Keep the first this many dimensions of each vector (Matryoshka); unset keeps all.
 * @param metadataMode Which of a document's metadata embed(Document) embeds with its text.
 */
@ConfigurationProperties(Sentence4jProperties.PREFIX)
public record Sentence4jProperties(
        @DefaultValue("sentence-transformers/all-MiniLM-L6-v2") String model,
        String revision,
        boolean quantized,
        String onnxFile,
        int threads,
        @DefaultValue("32") int batchSize,
        Boolean normalize,
        String promptName,
        Integer dimensions,
        @DefaultValue("NONE") MetadataMode metadataMode) {

    /** The properties' common prefix. */
    public static final String PREFIX = "sentence4j";
}
