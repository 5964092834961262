package dev.sentence4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache folder the defaults choose, in the order the README gives: {@code $SENTENCE4J_CACHE}, else
 * {@code $XDG_CACHE_HOME/sentence4j}, else {@code ~/.cache/sentence4j}. A JVM's environment is fixed at its
 * start, so each case runs {@link LoadOptions#defaults()} in a child JVM given its own environment.
 */
class CacheDirectoryTest {
    @TempDir
    Path home;

    /** Prints the default cache folder. */
    public static final class PrintDefaultCache {
        public static void main(String[] args) {
            System.out.print(LoadOptions.defaults().cacheDirectory());
        }
    }

    private String defaultCacheWith(Map<String, String> variables) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.java(), "-Duser.home=" + home,
                ChildJvm.classPathOption(PrintDefaultCache.class), PrintDefaultCache.class.getName())
                .redirectErrorStream(true);
        builder.environment().remove("SENTENCE4J_CACHE");
        builder.environment().remove("XDG_CACHE_HOME");
        builder.environment().putAll(variables);
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void sentence4jCacheComesFirstThenXdgCacheHomeThenTheHomeFolder() throws Exception {
        assertThat(defaultCacheWith(Map.of("SENTENCE4J_CACHE", "/tmp/s4j-cache", "XDG_CACHE_HOME", "/tmp/xdg")))
                .isEqualTo("/tmp/s4j-cache");
        assertThat(defaultCacheWith(Map.of("XDG_CACHE_HOME", "/tmp/xdg"))).isEqualTo("/tmp/xdg/sentence4j");
        // Set but blank counts as not set, as for XDG's own variables.
        assertThat(defaultCacheWith(Map.of("SENTENCE4J_CACHE", " ", "XDG_CACHE_HOME", "/tmp/xdg")))
                .isEqualTo("/tmp/xdg/sentence4j");
        assertThat(defaultCacheWith(Map.of())).isEqualTo(home.resolve(".cache/sentence4j").toString());
    }
}
