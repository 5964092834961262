package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's code blocks marked {@code <!-- consumer: NAME -->} are, line for line, the region
 * {@code tag::NAME[]} ... {@code end::NAME[]} of this project's sources, less the lines marked
 * {@code // hidden} (what the tests need to see the results); leading spaces do not count. So the README
 * prints code that this project compiles and its tests run.
 */
class ReadmeSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!-- consumer: ([a-z0-9-]+) -->");
    private static final Pattern TAG = Pattern.compile("(?://|#) tag::([a-z0-9-]+)\\[\\]");

    @Test
    void everyMarkedReadmeBlockIsItsTaggedRegion() throws IOException {
        Map<String, List<String>> readme = readmeBlocks(Path.of(System.getProperty("readme")));
        Map<String, List<String>> sources = taggedRegions(Path.of("src/main"));

        assertThat(readme.keySet()).containsExactlyInAnyOrderElementsOf(sources.keySet());
        readme.forEach((name, block) -> assertThat(block).as("README block " + name).isEqualTo(sources.get(name)));
    }

    private static Map<String, List<String>> readmeBlocks(Path readme) throws IOException {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(readme);
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            assertThat(lines.get(i + 1)).as("the line after " + marker.group()).startsWith("```");
            List<String> block = new ArrayList<>();
            for (int j = i + 2; !lines.get(j).startsWith("```"); j++) {
                block.add(lines.get(j).strip());
            }
            assertThat(blocks.put(marker.group(1), block)).as("two README blocks named " + marker.group(1)).isNull();
        }
        return blocks;
    }

    private static Map<String, List<String>> taggedRegions(Path sources) throws IOException {
        Map<String, List<String>> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher tag = TAG.matcher(lines.get(i).strip());
                    if (!tag.matches()) {
                        continue;
                    }
                    String end = "end::" + tag.group(1) + "[]";
                    List<String> region = new ArrayList<>();
                    for (int j = i + 1; !lines.get(j).strip().endsWith(end); j++) {
                        if (!lines.get(j).strip().endsWith("// hidden")) {
                            region.add(lines.get(j).strip());
                        }
                    }
                    regions.put(tag.group(1), region);
                }
            }
        }
        return regions;
    }
}
