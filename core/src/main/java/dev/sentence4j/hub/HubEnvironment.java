package dev.sentence4j.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Hub settings that environment variables give, read as Python's {@code huggingface_hub} reads
 * them, so that both use the same endpoint, cache, token and offline switch.
 *
 * @param env the environment variables
 * @param userHome the user's home folder, which {@code ~} stands for
 */
record HubEnvironment(Map<String, String> env, Path userHome) {
    static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    /** {@code HF_ENDPOINT} as given, else huggingface.co; checked only when used (see {@link Hub#endpoint()}). */
    String endpoint() {
        return variable("HF_ENDPOINT").orElse(DEFAULT_ENDPOINT).replaceAll("/+$", "");
    }

    /** {@code HF_HUB_CACHE}, else the legacy {@code HUGGINGFACE_HUB_CACHE}, else {@code hub} in {@link #home()}. */
    Path cacheDirectory() {
        return variable("HF_HUB_CACHE").or(() -> variable("HUGGINGFACE_HUB_CACHE"))
                .map(this::path)
                .orElseGet(() -> home().resolve("hub"));
    }

    /** {@code HF_HOME}, else {@code huggingface} in {@code XDG_CACHE_HOME}, else {@code ~/.cache/huggingface}. */
    Path home() {
        return variable("HF_HOME").map(this::path)
                .orElseGet(() -> variable("XDG_CACHE_HOME").map(this::path)
                        .orElseGet(() -> userHome.resolve(".cache"))
                        .resolve("huggingface"));
    }

    /** {@code HF_TOKEN}, else the token file: {@code HF_TOKEN_PATH}, else {@code token} in {@link #home()}. */
    Optional<String> token() {
        return variable("HF_TOKEN").or(() -> {
            Path file = variable("HF_TOKEN_PATH").map(this::path).orElseGet(() -> home().resolve("token"));
            try {
                return Files.isRegularFile(file)
                        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(t -> !t.isEmpty())
                        : Optional.empty();
            } catch (IOException e) {
                // An unreadable token file means no token, as for huggingface_hub; a private model then says so.
                return Optional.empty();
            }
        });
    }

    /** {@code HF_HUB_OFFLINE}, or the older {@code TRANSFORMERS_OFFLINE}, set to 1, on, yes or true. */
    boolean offline() {
        return variable("HF_HUB_OFFLINE").or(() -> variable("TRANSFORMERS_OFFLINE"))
                .map(v -> TRUE_VALUES.contains(v.toUpperCase(Locale.ROOT)))
                .orElse(false);
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private Path path(String value) {
        if (value.equals("~")) {
            return userHome;
        }
        return value.startsWith("~/") ? userHome.resolve(value.substring(2)) : Path.of(value);
    }
}
