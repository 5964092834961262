package dev.sentence4j.tokenize;

/**
 * One token of a text and the part of the text it stands for.
 *
 * @param id the token's id
 * @param token the token as the vocabulary spells it ({@code ##ing}, {@code [CLS]})
 * @param special whether the tokenizer added it ({@code [CLS]}, {@code [SEP]}) rather than read it from the text
 * @param start where its part of the text starts, in Unicode code points, or -1 if it stands for no text
 * @param end where its part of the text ends (exclusive), in Unicode code points, or -1 if it stands for no text
 */
public record TokenSpan(long id, String token, boolean special, int start, int end) {}
