package dev.sentence4j.transformer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the processor is: its physical core count and a fingerprint of its instruction sets. */
final class Cpu {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private Cpu() {}

    /**
     * Physical cores, counted from {@code /proc/cpuinfo} where it exists: hyper-threads share one
     * core's vector units, so more ONNX Runtime threads than cores only contend.
     */
    static int physicalCores() {
        int logical = Runtime.getRuntime().availableProcessors();
        List<String> lines = cpuinfo();
        Set<String> cores = new HashSet<>();
        String physicalId = "";
        for (String line : lines) {
            if (line.startsWith("physical id")) {
                physicalId = value(line);
            } else if (line.startsWith("core id")) {
                cores.add(physicalId + ":" + value(line));
            }
        }
        // A container may see fewer processors than the machine has cores.
        return cores.isEmpty() ? logical : Math.max(1, Math.min(cores.size(), logical));
    }

    /** The model name and instruction-set flags: an optimized graph is only valid on a matching processor. */
    static String fingerprint() {
        StringBuilder fingerprint = new StringBuilder(System.getProperty("os.arch"));
        for (String line : cpuinfo()) {
            if (line.startsWith("model name") || line.startsWith("flags")) {
                fingerprint.append('|').append(value(line));
                if (line.startsWith("flags")) {
                    break;
                }
            }
        }
        return fingerprint.toString();
    }

    private static String value(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
    }

    private static List<String> cpuinfo() {
        try {
            return Files.isReadable(CPUINFO) ? Files.readAllLines(CPUINFO) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
