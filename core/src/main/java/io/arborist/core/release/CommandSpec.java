package io.arborist.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One click command or group as extracted by {@code scripts/extract-tutor-grammar}: its options, arguments, context
 * settings, what it asks and its subcommands (by node id). Package-private; read from the grammar data.
 */
final class CommandSpec {
    /** A click option. */
    record Option(List<String> names, List<String> secondary, String dest, boolean flag, boolean count,
                  boolean multiple, int nargs, boolean required, boolean eager, List<String> choices,
                  boolean caseInsensitive, String type) {
        String label() {
            return names.stream().filter(n -> n.startsWith("--")).findFirst().orElse(names.isEmpty() ? dest : names.get(0));
        }

        String shortest() {
            return names.stream().filter(n -> !n.startsWith("--")).findFirst().orElse(label());
        }
    }

    /** A click argument. */
    record Argument(String name, int nargs, boolean required, List<String> choices, boolean caseInsensitive,
                    String type) {
    }

    /** What a command asks on its standard input, and which options turn that off or on. */
    record Asks(boolean byDefault, List<String> silencedBy, List<String> askedBy) {
    }

    final String name;
    final String source;
    final boolean group;
    final boolean invokeWithoutCommand;
    final boolean noHelpOption;
    final boolean ignoreUnknownOptions;
    final boolean allowExtraArgs;
    final boolean allowInterspersedArgs;
    final List<String> helpOptionNames;
    final List<Option> options;
    final List<Argument> arguments;
    final Asks asks;
    final String pluginCommands;
    final Map<String, String> children;

    private CommandSpec(JsonNode n) {
        name = n.path("name").asText();
        source = n.path("source").asText("");
        group = n.path("group").asBoolean(false);
        invokeWithoutCommand = n.path("invokeWithoutCommand").asBoolean(false);
        noHelpOption = n.path("noHelpOption").asBoolean(false);
        ignoreUnknownOptions = n.path("ignoreUnknownOptions").asBoolean(false);
        allowExtraArgs = n.path("allowExtraArgs").asBoolean(group);
        allowInterspersedArgs = n.path("allowInterspersedArgs").asBoolean(!group);
        helpOptionNames = n.has("helpOptionNames") ? strings(n.get("helpOptionNames")) : null;
        List<Option> opts = new ArrayList<>();
        List<Argument> args = new ArrayList<>();
        for (JsonNode p : n.path("params")) {
            List<String> choices = p.has("choices") ? strings(p.get("choices")) : null;
            String type = p.has("type") ? p.get("type").asText() : null;
            boolean insensitive = p.path("caseInsensitive").asBoolean(false);
            if ("option".equals(p.path("kind").asText())) {
                opts.add(new Option(strings(p.path("names")), strings(p.path("secondary")), p.path("dest").asText(""),
                        p.path("flag").asBoolean(false), p.path("count").asBoolean(false),
                        p.path("multiple").asBoolean(false), p.path("nargs").asInt(1), p.path("required").asBoolean(false),
                        p.path("eager").asBoolean(false), choices, insensitive, type));
            } else {
                args.add(new Argument(p.path("name").asText(), p.path("nargs").asInt(1), p.path("required").asBoolean(true),
                        choices, insensitive, type));
            }
        }
        options = List.copyOf(opts);
        arguments = List.copyOf(args);
        JsonNode a = n.get("asks");
        asks = a == null ? null : new Asks(a.path("byDefault").asBoolean(false), strings(a.path("silencedBy")),
                strings(a.path("askedBy")));
        pluginCommands = n.has("pluginCommands") ? n.get("pluginCommands").asText() : null;
        Map<String, String> kids = new LinkedHashMap<>();
        for (JsonNode id : n.path("commands")) {
            kids.put(id.asText(), id.asText());
        }
        children = Collections.unmodifiableMap(kids);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    Optional<Option> option(String name) {
        for (Option o : options) {
            if (o.names().contains(name) || o.secondary().contains(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** A content-addressed table of command nodes, parsed on first use. */
    static final class Table {
        private final JsonTables json;
        private final Map<String, CommandSpec> parsed = new ConcurrentHashMap<>();
        private final Map<String, Map<String, String>> childIds = new ConcurrentHashMap<>();

        Table(JsonTables json) {
            this.json = json;
        }

        CommandSpec get(String id) {
            return parsed.computeIfAbsent(id, key -> new CommandSpec(json.entry("nodes", key)));
        }

        /** The subcommand ids of a group by name. */
        Map<String, String> childIdsByName(String id) {
            return childIds.computeIfAbsent(id, key -> {
                Map<String, String> out = new LinkedHashMap<>();
                for (String child : get(key).children.keySet()) {
                    out.put(get(child).name, child);
                }
                return Collections.unmodifiableMap(out);
            });
        }
    }
}
