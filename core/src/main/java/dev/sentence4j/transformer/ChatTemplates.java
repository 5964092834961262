package dev.sentence4j.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModuleFolder;
import dev.sentence4j.tokenize.ChatTemplate;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a text-generation Transformer's chat template comes from and how sentence-transformers applies
 * it: pairs go through the template when {@code modality_config} has a {@code message} entry (or, in a
 * folder without one, whenever the tokenizer has a template), in the entry's {@code format}. The
 * template is {@code chat_template.jinja} (as transformers 5 saves it) or {@code tokenizer_config.json}'s
 * {@code chat_template}.
 */
final class ChatTemplates {
    private static final String FILE = "chat_template.jinja";
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token",
            "cls_token", "mask_token");
    /** Model types whose message format sentence-transformers knows without looking at the template. */
    private static final Set<String> FLAT_MODEL_TYPES = Set.of("apertus", "deepseek_v3", "gpt_oss", "seed_oss");
    /** What marks a template that reads content as a list of typed parts, as sentence-transformers infers it. */
    private static final List<String> STRUCTURED_PATTERNS = List.of("content[0]", ".type", "'type'", "\"type\"", "item.type",
            "message.content[");

    private ChatTemplates() {}

    /**
     * The chat template pairs are rendered with, or empty when the folder feeds pairs as text.
     *
     * @throws IllegalArgumentException naming the file when the message modality has no template, or the
     *     template cannot carry a pair
     */
    static Optional<ChatTemplate> read(ModuleFolder module, Optional<ConfigFile> settings, Optional<ConfigFile> modelConfig,
            Optional<ConfigFile> tokenizerConfig) {
        Optional<ConfigFile> modalities = settings.flatMap(c -> c.object("modality_config"));
        Optional<ConfigFile> message = modalities.flatMap(m -> m.object("message"));
        Optional<Source> source = source(module, tokenizerConfig);
        if (modalities.isPresent() && message.isEmpty()) {
            return Optional.empty();
        }
        if (source.isEmpty()) {
            if (message.isPresent()) {
                throw message.get().error("modality_config has a 'message' entry, but the model has no chat template ("
                        + module.describe(FILE) + " or chat_template in tokenizer_config.json)");
            }
            return Optional.empty();
        }
        String format = message.flatMap(m -> m.text("format")).orElse("auto");
        String modelType = modelConfig.flatMap(c -> c.text("model_type")).orElse("");
        boolean flat = switch (format) {
            case "flat" -> true;
            case "structured" -> false;
            case "auto" -> FLAT_MODEL_TYPES.contains(modelType)
                    || STRUCTURED_PATTERNS.stream().noneMatch(source.get().template()::contains);
            default -> throw message.get().error("field '" + message.get().key("format") + "' must be 'flat', 'structured' or "
                    + "'auto', got '" + format + "'");
        };
        ChatTemplate template = new ChatTemplate(source.get().template(), source.get().file(), flat,
                specialTokens(tokenizerConfig));
        template.requirePairRoles();
        return Optional.of(template);
    }

    private record Source(String template, String file) {}

    private static Optional<Source> source(ModuleFolder module, Optional<ConfigFile> tokenizerConfig) {
        if (module.exists(FILE)) {
            String file = module.file(FILE);
            return Optional.of(new Source(new String(module.files().readAllBytes(file), StandardCharsets.UTF_8),
                    module.describe(FILE)));
        }
        if (tokenizerConfig.isEmpty()) {
            return Optional.empty();
        }
        ConfigFile config = tokenizerConfig.get();
        return config.field("chat_template").filter(v -> !v.isNull()).map(value -> {
            if (value.isTextual()) {
                return new Source(value.textValue(), config.source() + ": chat_template");
            }
            // Several named templates: transformers applies the one named "default".
            for (JsonNode named : value) {
                if (named.path("name").asText().equals("default") && named.path("template").isTextual()) {
                    return new Source(named.get("template").textValue(), config.source() + ": chat_template 'default'");
                }
            }
            throw config.error("field 'chat_template' is neither a template nor a list holding one named 'default'");
        });
    }

    /** The tokenizer's special tokens, which templates read as {@code eos_token} and the like. */
    private static Map<String, Object> specialTokens(Optional<ConfigFile> tokenizerConfig) {
        Map<String, Object> tokens = new HashMap<>();
        tokenizerConfig.ifPresent(config -> SPECIAL_TOKENS.forEach(name -> config.field(name).ifPresent(value -> {
            String token = value.isTextual() ? value.textValue() : value.path("content").asText(null);
            if (token != null) {
                tokens.put(name, token);
            }
        })));
        return tokens;
    }
}
