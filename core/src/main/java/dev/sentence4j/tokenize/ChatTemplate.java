package dev.sentence4j.tokenize;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model's chat template (Jinja), rendered as transformers' {@code apply_chat_template} renders it
 * (blocks trimmed and left-stripped, {@code raise_exception}, the tokenizer's special tokens as
 * variables), for the inputs sentence-transformers turns into messages: a pair becomes a
 * {@code query} and a {@code document} message, a prompt a {@code system} message before them.
 * Rendered with Jinjava; message content is never itself rendered as a template. Thread-safe.
 */
public final class ChatTemplate {
    /** The roles sentence-transformers gives a pair's two texts. */
    private static final List<String> PAIR_ROLES = List.of("query", "document");
    /** A baseline pair, then one pair varying each role only, as sentence-transformers probes a template. */
    private static final List<List<String>> PROBES = List.of(List.of("alpha", "bravo"), List.of("charlie", "bravo"),
            List.of("alpha", "foxtrot"));

    private final String template;
    private final String source;
    private final boolean flat;
    private final Map<String, Object> variables;
    private final Jinjava jinja;

    /**
     * @param template the Jinja source
     * @param source where it was read, for messages
     * @param flat whether message content is the text itself ({@code "flat"}), else a list of typed parts
     *     ({@code "structured"}: {@code [{"type": "text", "text": ...}]})
     * @param variables what the template sees besides the messages: special tokens, template arguments
     */
    public ChatTemplate(String template, String source, boolean flat, Map<String, Object> variables) {
        this.template = template;
        this.source = source;
        this.flat = flat;
        this.variables = Map.copyOf(variables);
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withNestedInterpretationEnabled(false).withFailOnUnknownTokens(false).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
    }

    /** The template's own {@code raise_exception(message)}: the render fails with the template's message. */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** Where the template was read. */
    public String source() {
        return source;
    }

    /**
     * The text of a query–document pair, with {@code prompt} (may be null) as a system message before it.
     *
     * @throws IllegalArgumentException naming the template and its error when it cannot be rendered
     */
    public String renderPair(String prompt, String query, String document) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (prompt != null) {
            messages.add(message("system", prompt));
        }
        messages.add(message(PAIR_ROLES.get(0), query));
        messages.add(message(PAIR_ROLES.get(1), document));
        return render(messages);
    }

    /**
     * Checks that both texts of a pair reach the rendered prompt, as sentence-transformers checks before
     * it scores pairs: a template written for user and assistant messages alone drops them.
     *
     * @throws IllegalArgumentException naming the template and the role whose content goes nowhere
     */
    public void requirePairRoles() {
        List<String> renders = PROBES.stream().map(pair -> renderPair(null, pair.get(0), pair.get(1))).toList();
        List<String> dropped = new ArrayList<>();
        for (int role = 0; role < PAIR_ROLES.size(); role++) {
            if (renders.get(role + 1).equals(renders.get(0))) {
                dropped.add("'" + PAIR_ROLES.get(role) + "'");
            }
        }
        if (!dropped.isEmpty()) {
            throw new IllegalArgumentException(source + ": the chat template cannot carry a query–document pair: the "
                    + String.join(" and ", dropped) + " content does not reach the rendered prompt. A pair is two messages "
                    + "with the roles 'query' and 'document'; give the model a template that renders both");
        }
    }

    /** An error's message, or for a {@code raise_exception} the template's own message. */
    private static String message(TemplateError error) {
        for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateRaised raised) {
                return "the template raised: " + raised.getMessage();
            }
        }
        return error.getMessage();
    }

    /** What the template's {@code raise_exception} throws. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    private Map<String, Object> message(String role, String content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", flat ? content : List.of(Map.of("type", "text", "text", content)));
        return message;
    }

    private String render(List<Map<String, Object>> messages) {
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", messages);
        context.putIfAbsent("add_generation_prompt", false);
        RenderResult result;
        try {
            result = jinja.renderForResult(template, context);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": the chat template cannot be applied: " + e.getMessage(), e);
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            throw new IllegalArgumentException(source + ": the chat template cannot be applied: " + fatal.stream()
                    .map(error -> message(error) + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : ""))
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }
}
