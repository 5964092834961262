package dev.sentence4j.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A large, deterministic set of distinct sentences made from the STSb dev sentences: each sentence of
 * four or more words is cut at its middle word into a head and a tail, and a new sentence is the head
 * of one sentence followed by the tail of another, the two drawn by {@code java.util.Random(42)}
 * (whose sequence the Java specification fixes). Draws that repeat an earlier sentence or an original
 * STSb sentence are skipped, until there are enough.
 */
final class RecombinedSentences {
    private static final long SEED = 42;

    private RecombinedSentences() {}

    static List<String> make(List<String> originals, int count) {
        List<String[]> halves = new ArrayList<>();
        for (String sentence : originals) {
            String[] words = sentence.trim().split("\\s+");
            if (words.length >= 4) {
                int middle = words.length / 2;
                halves.add(new String[] {String.join(" ", List.of(words).subList(0, middle)),
                        String.join(" ", List.of(words).subList(middle, words.length))});
            }
        }
        Set<String> seen = new HashSet<>(originals);
        Set<String> made = new LinkedHashSet<>();
        Random random = new Random(SEED);
        while (made.size() < count) {
            int head = random.nextInt(halves.size());
            int tail = random.nextInt(halves.size());
            String sentence = halves.get(head)[0] + " " + halves.get(tail)[1];
            if (head != tail && seen.add(sentence)) {
                made.add(sentence);
            }
        }
        return new ArrayList<>(made);
    }
}
