package dev.sentence4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubEnvironmentTest {
    @TempDir
    Path home;

    private HubEnvironment env(String... pairs) {
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            variables.put(pairs[i], pairs[i + 1]);
        }
        return new HubEnvironment(variables, home);
    }

    @Test
    void withNothingSetItIsHuggingfaceCoAndTheUsualCache() {
        HubEnvironment env = env();

        assertThat(Hub.from(env).endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(env.cacheDirectory()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(env.token()).isEmpty();
        assertThat(env.offline()).isFalse();
    }

    @Test
    void theCacheFollowsHfHubCacheThenHfHomeThenXdg() {
        assertThat(env("XDG_CACHE_HOME", "/xdg").cacheDirectory()).isEqualTo(Path.of("/xdg/huggingface/hub"));
        assertThat(env("HF_HOME", "~/hf", "XDG_CACHE_HOME", "/xdg").cacheDirectory()).isEqualTo(home.resolve("hf/hub"));
        assertThat(env("HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HOME", "/hf").cacheDirectory()).isEqualTo(Path.of("/legacy"));
        assertThat(env("HF_HUB_CACHE", "/hub", "HUGGINGFACE_HUB_CACHE", "/legacy").cacheDirectory()).isEqualTo(Path.of("/hub"));
    }

    @Test
    void theTokenComesFromHfTokenElseTheTokenFile() throws IOException {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_fromfile\n");
        Path elsewhere = Files.writeString(home.resolve("other-token"), "  hf_elsewhere ");

        assertThat(env().token()).contains("hf_fromfile");
        assertThat(env("HF_TOKEN_PATH", elsewhere.toString()).token()).contains("hf_elsewhere");
        assertThat(env("HF_TOKEN", "hf_variable", "HF_TOKEN_PATH", elsewhere.toString()).token()).contains("hf_variable");
        assertThat(env("HF_HOME", home.resolve("empty").toString()).token()).isEmpty();
    }

    @Test
    void offlineTakesTheValuesHuggingfaceHubTakes() {
        assertThat(env("HF_HUB_OFFLINE", "1").offline()).isTrue();
        assertThat(env("HF_HUB_OFFLINE", "yes").offline()).isTrue();
        assertThat(env("HF_HUB_OFFLINE", "True").offline()).isTrue();
        assertThat(env("TRANSFORMERS_OFFLINE", "ON").offline()).isTrue();
        assertThat(env("HF_HUB_OFFLINE", "0").offline()).isFalse();
        assertThat(Hub.from(env("HF_ENDPOINT", "http://mirror.example/hf/")).endpoint())
                .isEqualTo(URI.create("http://mirror.example/hf"));
    }

    /** Anything but an http(s) URL is refused by name when the Hub is first needed, not with a ClassCastException. */
    @Test
    void hfEndpointMustBeAnHttpUrl() {
        for (String endpoint : List.of("file:///etc", "huggingface.co", "ftp://mirror.example", "http://bad host")) {
            Hub hub = Hub.from(env("HF_ENDPOINT", endpoint)).withCacheDirectory(home);

            assertThatThrownBy(() -> hub.open("org/model", null))
                    .isInstanceOf(HubException.class)
                    .hasMessage("HF_ENDPOINT must be an http(s) URL such as https://huggingface.co, got '" + endpoint + "'");
        }
        assertThatThrownBy(() -> Hub.fromEnvironment().withEndpoint(URI.create("file:///etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the Hub endpoint must be an http(s) URL such as https://huggingface.co, got 'file:///etc'");
    }
}
