package dev.sentence4j.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentence4j.Shared;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Pairs are one input, joined as each tokenizer.json's post-processor joins them. */
class PairTokensTest {
    private static Tokenizer load(String fixture, int maxSeqLength) {
        return Tokenizer.load(Shared.path("fixtures/st6/models/" + fixture + "/tokenizer.json"),
                new TokenizerSettings(maxSeqLength, false));
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(LongStream::of).toArray();
    }

    @Test
    void bertJoinsWithOneSeparatorAndMarksTheSecondSegment() {
        try (Tokenizer bert = load("cross-encoder-bert", 64)) {
            long[] first = bert.tokenize(List.of("a man")).get(0).ids();
            long[] second = bert.tokenize(List.of("a dog")).get(0).ids();

            Tokens pair = bert.tokenizePairs(List.of("a man"), List.of("a dog")).get(0);

            // [CLS] a man [SEP] a dog [SEP]
            assertThat(pair.ids()).containsExactly(concat(first, Arrays.copyOfRange(second, 1, second.length)));
            assertThat(pair.typeIds()).containsExactly(LongStream.range(0, pair.length()).map(i -> i < first.length ? 0 : 1).toArray());
        }
    }

    @Test
    void robertaJoinsWithTwoSeparators() {
        try (Tokenizer roberta = load("roberta-mean", 64)) {
            long[] first = roberta.tokenize(List.of("a man")).get(0).ids();
            long[] second = roberta.tokenize(List.of("a dog")).get(0).ids();
            long separator = first[first.length - 1];

            Tokens pair = roberta.tokenizePairs(List.of("a man"), List.of("a dog")).get(0);

            // <s> a man </s></s> a dog </s>
            assertThat(pair.ids()).containsExactly(concat(first, new long[] {separator}, Arrays.copyOfRange(second, 1, second.length)));
        }
    }

    @Test
    void aLongPairLosesTokensFromItsLongerTextFirst() {
        try (Tokenizer bert = load("cross-encoder-bert", 16)) {
            String longText = "the quick brown fox jumps over the lazy dog again and again and again";
            long[] shortIds = bert.tokenize(List.of("a dog")).get(0).ids();

            Tokens pair = bert.tokenizePairs(List.of(longText), List.of("a dog")).get(0);

            assertThat(pair.length()).isEqualTo(16);
            assertThat(pair.truncated()).isTrue();
            assertThat(pair.untruncatedLength()).isEqualTo(bert.tokenize(List.of(longText)).get(0).untruncatedLength()
                    + shortIds.length - 1);
            // The short second text is whole: its tokens and the closing [SEP] end the pair.
            assertThat(pair.ids()).endsWith(Arrays.copyOfRange(shortIds, 1, shortIds.length));
        }
    }
}
