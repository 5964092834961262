package dev.sentence4j.lookup;

import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.tokenize.PaddingSide;
import dev.sentence4j.tokenize.Tokenizer;
import dev.sentence4j.tokenize.TokenizerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A lookup module's {@code tokenizer.json}, set up as sentence-transformers sets it up for a table: no
 * special tokens and no padding, only the truncation each module type asks for.
 */
final class LookupTokenizer {
    static final String FILE = "tokenizer.json";

    private LookupTokenizer() {}

    /** Fails naming the file when the module has no tokenizer, for a module of the given type. */
    static void require(ModuleFolder module, String moduleType) {
        if (!module.exists(FILE)) {
            throw new ModelLoadException(module.describe(FILE) + " is missing; a " + moduleType + " tokenizes with it");
        }
    }

    /** The module's tokenizer, cutting texts at {@code maxLength} tokens. */
    static Tokenizer load(ModuleFolder module, int maxLength) {
        try (InputStream in = module.files().open(module.file(FILE))) {
            return Tokenizer.load(in, module.describe(FILE),
                    new TokenizerSettings(maxLength, false, PaddingSide.RIGHT, false));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + module.describe(FILE) + ": " + e.getMessage(), e);
        }
    }
}
