package dev.sentence4j.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime recurses some 12,000 native frames deep while it starts, which overflowed a 1 MiB thread
 * stack and killed the JVM with no error. Loading from a thread with a small stack must work; it runs in
 * a JVM of its own, since ONNX Runtime starts only once per JVM.
 */
class SmallStackLoadTest {

    @Test
    void aModelLoadsFromAThreadWithASmallStack() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ChildJvm.java(), ChildJvm.classPathOption(LoadOnSmallStack.class),
                LoadOnSmallStack.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("hidden size 384");
    }

    /** Loads the built-in all-MiniLM-L6-v2 graph from a thread with a 256 KiB stack. */
    static final class LoadOnSmallStack {
        public static void main(String[] args) throws Exception {
            byte[] onnx;
            try (InputStream in = LoadOnSmallStack.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                onnx = in.readAllBytes();
            }
            Thread thread = new Thread(null, () -> {
                try (OnnxGraph graph = OnnxGraph.load(onnx, "all-minilm-l6-v2.onnx", "last_hidden_state", 3, new RuntimeOptions(1, null))) {
                    System.out.println("hidden size " + graph.hiddenSize());
                }
            }, "small-stack", 256 * 1024);
            thread.start();
            thread.join();
        }
    }
}
