package dev.sentence4j.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentence4j.model.ConfigFile;
import dev.sentence4j.model.ModelLoadException;
import dev.sentence4j.model.ModuleFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Router} module (formerly {@code Asym}): several routes, each a list of modules, one of
 * which a call takes by its task ({@code query}, {@code document}), as sentence-transformers'
 * {@code Router} resolves it. Reads {@code router_config.json}: {@code types} (module id to type),
 * {@code structure} (route to module ids, each id also the module's folder) and {@code parameters}
 * ({@code default_route}, {@code allow_empty_key}, {@code route_mappings}).
 */
public final class Router implements Module {
    private static final String CONFIG = "router_config.json";
    private static final String TEXT = "text";
    /** A {@code route_mappings} key as Python writes a {@code (task, modality)} tuple: {@code ('query', None)}. */
    private static final Pattern KEY = Pattern.compile("\\(\\s*(None|'[^']*')\\s*,\\s*(None|'[^']*')\\s*\\)");

    private final Map<String, List<Module>> routes;
    private final String defaultRoute;
    /** {@code (task, modality)} to route; {@code null} stands for Python's {@code None}, any. */
    private final Map<List<String>, String> mappings;

    private Router(Map<String, List<Module>> routes, String defaultRoute, Map<List<String>, String> mappings) {
        this.routes = routes;
        this.defaultRoute = defaultRoute;
        this.mappings = mappings;
    }

    /**
     * Reads a Router and the modules of its routes, each with {@code reader}.
     *
     * @throws ModelLoadException naming {@code router_config.json}, the field and the value that is wrong:
     *     a route naming a module without a type or folder, a default route or mapping to a missing route
     */
    public static Router read(ModuleFolder folder, Function<ModuleFolder, Module> reader) {
        ConfigFile config = config(folder);
        // The reader keeps what it opened, to free it if the model fails to load.
        Map<String, Module> read = new LinkedHashMap<>();
        Map<String, List<Module>> routes = new LinkedHashMap<>();
        routeFolders(config, folder).forEach((route, children) -> routes.put(route,
                children.stream().map(child -> read.computeIfAbsent(child.path(), id -> reader.apply(child))).toList()));
        return new Router(routes, defaultRoute(config, routes), mappings(config, routes));
    }

    /**
     * The folders of a Router's modules by route, in order, as {@code router_config.json} lists them,
     * without reading them: a module listed in several routes is the same folder in each.
     *
     * @throws ModelLoadException naming {@code router_config.json}, the field and the value that is wrong
     */
    public static Map<String, List<ModuleFolder>> routeFolders(ModuleFolder folder) {
        return routeFolders(config(folder), folder);
    }

    private static Map<String, List<ModuleFolder>> routeFolders(ConfigFile config, ModuleFolder folder) {
        ConfigFile types = config.object("types").orElseThrow(() -> config.error("field 'types' is missing"));
        ConfigFile structure = config.object("structure").orElseThrow(() -> config.error("field 'structure' is missing"));
        if (structure.root().isEmpty()) {
            throw config.error("field 'structure' lists no route");
        }
        String listing = config.source().endsWith(CONFIG) ? CONFIG : "config.json";
        Map<String, List<ModuleFolder>> routes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> route : structure.root().properties()) {
            if (!route.getValue().isArray() || route.getValue().isEmpty()) {
                throw config.error("structure." + route.getKey() + " must be a non-empty list of module ids, got "
                        + route.getValue());
            }
            List<ModuleFolder> modules = new ArrayList<>();
            for (JsonNode idNode : route.getValue()) {
                String id = idNode.asText();
                String type = types.text(id).orElseThrow(() -> config.error("structure." + route.getKey()
                        + " names module '" + id + "', which 'types' does not list"));
                ModuleFolder child = folder.child(listing, id, type);
                if (!child.hasFiles()) {
                    throw config.error("structure." + route.getKey() + " names module '" + id + "', but its folder "
                            + folder.describe(id) + " is missing or has none of " + ModuleFolder.MODULE_FILES);
                }
                modules.add(child);
            }
            routes.put(route.getKey(), List.copyOf(modules));
        }
        return routes;
    }

    private static ConfigFile config(ModuleFolder folder) {
        return folder.exists(CONFIG) ? folder.config(CONFIG) : folder.config("config.json");
    }

    private static String defaultRoute(ConfigFile config, Map<String, List<Module>> routes) {
        ConfigFile parameters = config.object("parameters").orElse(null);
        String named = parameters == null ? null : parameters.text("default_route").orElse(null);
        if (named != null && !routes.containsKey(named)) {
            throw config.error("parameters.default_route is '" + named + "', which is not one of the routes "
                    + routes.keySet());
        }
        boolean allowEmptyKey = parameters == null || parameters.bool("allow_empty_key").orElse(true);
        return named != null ? named : allowEmptyKey ? routes.keySet().iterator().next() : null;
    }

    private static Map<List<String>, String> mappings(ConfigFile config, Map<String, List<Module>> routes) {
        Map<List<String>, String> mappings = new LinkedHashMap<>();
        ConfigFile parameters = config.object("parameters").orElse(null);
        ConfigFile saved = parameters == null ? null : parameters.object("route_mappings").orElse(null);
        if (saved == null) {
            return mappings;
        }
        for (Map.Entry<String, JsonNode> entry : saved.root().properties()) {
            String route = entry.getValue().asText();
            if (!routes.containsKey(route)) {
                throw config.error("parameters.route_mappings maps " + entry.getKey() + " to '" + route
                        + "', which is not one of the routes " + routes.keySet());
            }
            Matcher key = KEY.matcher(entry.getKey());
            // Keys of other forms map several modalities at once (images with text): never a text-only call's.
            if (key.matches()) {
                mappings.put(Arrays.asList(unquote(key.group(1)), unquote(key.group(2))), route);
            }
        }
        return mappings;
    }

    private static String unquote(String value) {
        return value.equals("None") ? null : value.substring(1, value.length() - 1);
    }

    /** The routes by name, each its modules in order. */
    public Map<String, List<Module>> routes() {
        return routes;
    }

    /** The route a call with no task takes, or {@code null} when a task must be given. */
    public String defaultRoute() {
        return defaultRoute;
    }

    /**
     * The route for a task of text inputs, as sentence-transformers resolves it: a mapping of
     * {@code (task, "text")}, {@code (task, None)}, {@code (None, "text")}, {@code (None, None)}; a route
     * named as the task; a route named {@code text}; the default route.
     *
     * @param task {@code query}, {@code document}, another task, or {@code null} for none
     * @throws IllegalArgumentException for a task no route takes, or no task where the Router has no default
     */
    public String resolve(String task) {
        for (List<String> key : List.of(Arrays.asList(task, TEXT), Arrays.asList(task, (String) null),
                Arrays.asList(null, TEXT), Arrays.asList((String) null, null))) {
            String route = mappings.get(key);
            if (route != null) {
                return route;
            }
        }
        if (task != null && routes.containsKey(task)) {
            return task;
        }
        if (routes.containsKey(TEXT)) {
            return TEXT;
        }
        if (task != null) {
            throw new IllegalArgumentException("no route for task '" + task + "'; the model's routes are " + routes.keySet());
        }
        if (defaultRoute == null) {
            throw new IllegalArgumentException("the model's Router has no default route: give a task, one of "
                    + routes.keySet());
        }
        return defaultRoute;
    }
}
