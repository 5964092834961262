package dev.sentence4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints what each query found, for {@code search} and {@code index query}. */
final class QueryResults {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Characters of a text a table line shows: a table is for reading, and a megabyte document is not a line. */
    static final int TABLE_TEXT = 200;

    private QueryResults() {}

    /**
     * As a table, each query then its matches ({@code rank. score  line N: text}), a blank line between
     * queries, each text on one line and cut to its first {@link #TABLE_TEXT} characters; or as a JSON array of {@code {"query": ..., "matches": [{"rank", "score", "line", "text"}]}}.
     */
    static void print(PrintWriter out, OutputFormat format, List<String> queries, List<List<Match>> matches)
            throws JsonProcessingException {
        if (format == OutputFormat.JSON) {
            ArrayNode all = JSON.createArrayNode();
            for (int q = 0; q < queries.size(); q++) {
                ObjectNode result = all.addObject().put("query", queries.get(q));
                ArrayNode found = result.putArray("matches");
                int rank = 1;
                for (Match match : matches.get(q)) {
                    found.addObject().put("rank", rank++).put("score", match.score()).put("line", match.line())
                            .put("text", match.text());
                }
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            for (int q = 0; q < queries.size(); q++) {
                if (q > 0) {
                    out.println();
                }
                out.println("Query: " + excerpt(queries.get(q)));
                int rank = 1;
                for (Match match : matches.get(q)) {
                    out.println(String.format(Locale.ROOT, "%3d. %.4f  line %d: %s", rank++, match.score(), match.line(),
                            excerpt(match.text())));
                }
            }
        }
        out.flush();
    }

    /** A text as one table line: line breaks as spaces, cut after {@link #TABLE_TEXT} characters, saying how long it is. */
    static String excerpt(String text) {
        String line = text.replaceAll("\\R", " ");
        int length = line.codePointCount(0, line.length());
        if (length <= TABLE_TEXT) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, TABLE_TEXT)) + String.format(Locale.ROOT,
                "… (%,d characters; --format json gives all)", length);
    }
}
