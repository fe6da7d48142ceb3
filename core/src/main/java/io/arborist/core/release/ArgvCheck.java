package io.arborist.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks one {@code tutor ...} argv against the grammar of one Tutor version and the enabled plugins. Package-private:
 * the public entry is {@link TutorGrammar#check}.
 */
final class ArgvCheck {
    private static final List<String> MODES = List.of("local", "dev", "k8s");

    /** A command node with the table it lives in. */
    private record Node(CommandSpec.Table table, String id) {
        CommandSpec spec() {
            return table.get(id);
        }
    }

    private final GrammarData data;
    private final Supplier<GrammarData.Plugins> plugins;

    ArgvCheck(GrammarData data, Supplier<GrammarData.Plugins> plugins) {
        this.data = data;
        this.plugins = plugins;
    }

    List<String> check(TutorVersion version, Map<String, String> enabled, List<String> argv) {
        List<String> problems = new ArrayList<>();
        GrammarData.VersionEntry entry = data.versions.get(version);
        if (entry == null) {
            problems.add("Tutor " + version + " is not in the bundled grammar (nearest known: " + nearest(version)
                    + "): the command cannot be checked");
            return problems;
        }
        String prefix = "Tutor " + version + ": ";
        if (argv.isEmpty() || !argv.get(0).equals("tutor")) {
            problems.add(prefix + "the command must start with 'tutor', got '" + String.join(" ", argv) + "'");
            return problems;
        }
        Map<String, GrammarData.PluginEntry> active = new LinkedHashMap<>();
        Set<String> unknownPlugins = new TreeSet<>();
        if (!enabled.isEmpty()) {
            GrammarData.Plugins known = plugins.get();
            for (Map.Entry<String, String> e : enabled.entrySet()) {
                Optional<GrammarData.PluginEntry> match = find(known, e.getKey(), e.getValue());
                if (match.isPresent()) {
                    active.put(e.getKey(), match.get());
                } else if (known.entries.stream().anyMatch(p -> p.release().name().equals(e.getKey()))) {
                    problems.add(prefix + "plugin " + e.getKey() + " " + e.getValue()
                            + " is not in the bundled plugin data (known versions: " + knownVersions(known, e.getKey()) + ")");
                    return problems;
                } else {
                    unknownPlugins.add(e.getKey());
                }
            }
        }
        Node node = new Node(data.nodes, entry.root());
        List<String> path = new ArrayList<>();
        List<String> tokens = argv.subList(1, argv.size());
        List<String> help = node.spec().helpOptionNames != null ? node.spec().helpOptionNames : List.of("--help");
        while (true) {
            CommandSpec spec = node.spec();
            if (spec.helpOptionNames != null) {
                help = spec.helpOptionNames;
            }
            ClickParse.Result r = ClickParse.parse(spec, tokens, help);
            String label = path.isEmpty() ? "tutor" : String.join(" ", path);
            if (r.error != null) {
                problems.add(prefix + "'" + label + "': " + r.error);
                return problems;
            }
            if (r.help) {
                return problems;
            }
            checkValues(prefix, label, spec, r, problems);
            if (!spec.group) {
                if (problems.isEmpty()) {
                    checkAsks(prefix, label, spec, r, problems);
                    checkSemantics(prefix, entry, path, r, active, unknownPlugins, problems);
                }
                return problems;
            }
            Map<String, String> children = node.table().childIdsByName(node.id());
            if (r.rest.isEmpty()) {
                if (!spec.invokeWithoutCommand) {
                    problems.add(prefix + "'" + label + "' needs a command (one of " + String.join(", ",
                            new TreeSet<>(children.keySet())) + ")");
                }
                return problems;
            }
            String name = r.rest.get(0);
            Node next = children.containsKey(name) ? new Node(node.table(), children.get(name)) : null;
            if (next == null && spec.pluginCommands != null) {
                next = pluginCommand(spec.pluginCommands, name, active);
            }
            if (next == null) {
                problems.add(prefix + "'" + label + "' has no " + ("do".equals(spec.pluginCommands) ? "job" : "command")
                        + " '" + name + "'" + provider(spec.pluginCommands, name, active, unknownPlugins));
                return problems;
            }
            path.add(name);
            tokens = r.rest.subList(1, r.rest.size());
            node = next;
        }
    }

    private Node pluginCommand(String kind, String name, Map<String, GrammarData.PluginEntry> active) {
        GrammarData.Plugins known = plugins.get();
        for (GrammarData.PluginEntry p : active.values()) {
            String id = ("do".equals(kind) ? p.doJobIds() : p.commandIds()).get(name);
            if (id != null) {
                return new Node(known.nodes, id);
            }
        }
        return null;
    }

    private String provider(String kind, String name, Map<String, GrammarData.PluginEntry> active,
                            Set<String> unknownPlugins) {
        if (kind == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(" in core Tutor");
        b.append(active.isEmpty() ? " (no known plugin enabled" : " or the enabled plugins (" + describe(active));
        if (!unknownPlugins.isEmpty()) {
            b.append("; no bundled data for ").append(String.join(", ", unknownPlugins));
        }
        b.append(')');
        Set<String> providers = new TreeSet<>();
        for (GrammarData.PluginEntry p : plugins.get().entries) {
            Set<String> names = "do".equals(kind) ? p.release().doJobs() : p.release().commands();
            if (names.contains(name)) {
                providers.add(p.release().name());
            }
        }
        if (!providers.isEmpty()) {
            b.append("; provided by plugin ").append(String.join(", ", providers)).append(" once enabled");
        }
        return b.toString();
    }

    private static String describe(Map<String, GrammarData.PluginEntry> active) {
        List<String> out = new ArrayList<>();
        active.forEach((name, p) -> out.add(name + " " + p.release().version()));
        return String.join(", ", out);
    }

    private static void checkValues(String prefix, String label, CommandSpec spec, ClickParse.Result r,
                                    List<String> problems) {
        for (Map.Entry<CommandSpec.Option, List<String>> e : r.options.entrySet()) {
            CommandSpec.Option o = e.getKey();
            if (o.flag()) {
                continue;
            }
            for (String value : e.getValue()) {
                String bad = invalid(o.choices(), o.caseInsensitive(), o.type(), value);
                if (bad != null) {
                    problems.add(prefix + "'" + label + " " + o.label() + "' " + bad);
                }
            }
        }
        for (Map.Entry<CommandSpec.Argument, List<String>> e : r.arguments.entrySet()) {
            CommandSpec.Argument a = e.getKey();
            for (String value : e.getValue()) {
                String bad = invalid(a.choices(), a.caseInsensitive(), a.type(), value);
                if (bad != null) {
                    problems.add(prefix + "'" + label + "' argument " + a.name().toUpperCase(Locale.ROOT) + " " + bad);
                }
            }
        }
        if (!spec.group) {
            for (CommandSpec.Option o : spec.options) {
                if (o.required() && !r.given(o)) {
                    problems.add(prefix + "'" + label + "' needs option " + o.label());
                }
            }
        }
    }

    private static String invalid(List<String> choices, boolean insensitive, String type, String value) {
        if (choices != null) {
            boolean ok = choices.stream().anyMatch(c -> insensitive ? c.equalsIgnoreCase(value) : c.equals(value));
            if (!ok) {
                return "accepts " + String.join(", ", choices) + ", not " + value;
            }
        }
        if ("int".equals(type) && !value.strip().matches("[+-]?\\d+")) {
            return "takes a whole number, not " + value;
        }
        if ("float".equals(type) && !value.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return "takes a number, not " + value;
        }
        return null;
    }

    private static void checkAsks(String prefix, String label, CommandSpec spec, ClickParse.Result r,
                                  List<String> problems) {
        CommandSpec.Asks asks = spec.asks;
        if (asks == null) {
            return;
        }
        boolean silenced = asks.silencedBy().stream().anyMatch(name -> spec.option(name).map(r::given).orElse(false));
        boolean asked = asks.byDefault() || asks.askedBy().stream()
                .anyMatch(name -> spec.option(name).map(o -> r.given(o) && !r.options.get(o).contains("false"))
                        .orElse(false));
        if (!asked || silenced) {
            return;
        }
        if (asks.silencedBy().isEmpty()) {
            problems.add(prefix + "'" + label + "' asks questions on its standard input and has no option to turn "
                    + "them off (the executor runs with stdin closed)");
            return;
        }
        CommandSpec.Option option = spec.option(asks.silencedBy().get(0)).orElseThrow();
        String hint = option.shortest().equals(option.label()) ? option.label()
                : option.shortest() + " (" + option.label() + ")";
        problems.add(prefix + "'" + label + "' asks for confirmation; add " + hint
                + " (the executor runs with stdin closed)");
    }

    private void checkSemantics(String prefix, GrammarData.VersionEntry entry, List<String> path, ClickParse.Result r,
                                Map<String, GrammarData.PluginEntry> active, Set<String> unknownPlugins,
                                List<String> problems) {
        String label = String.join(" ", path);
        if (path.size() == 2 && path.get(0).equals("images") && Set.of("build", "pull", "push").contains(path.get(1))) {
            String verb = path.get(1);
            JsonNode fact = data.facts(entry).path("images").path(verb);
            Set<String> core = new TreeSet<>(GrammarData.strings(fact.path("names")));
            List<String> patterns = new ArrayList<>(GrammarData.strings(fact.path("patterns")));
            Set<String> fromPlugins = new TreeSet<>();
            for (GrammarData.PluginEntry p : active.values()) {
                fromPlugins.addAll(p.images().getOrDefault(verb, Set.of()));
                patterns.addAll(p.imagePatterns().getOrDefault(verb, Set.of()));
            }
            for (List<String> values : r.arguments.values()) {
                for (String image : values) {
                    if (image.equals("all") || core.contains(image) || fromPlugins.contains(image)
                            || patterns.stream().anyMatch(pattern -> glob(pattern, image))) {
                        continue;
                    }
                    StringBuilder b = new StringBuilder(prefix + "'" + label + "' does not know image '" + image
                            + "' (core: " + String.join(", ", core));
                    b.append(active.isEmpty() ? "; no known plugin enabled" : "; enabled plugins " + describe(active)
                            + (fromPlugins.isEmpty() ? " add none" : " add " + String.join(", ", fromPlugins)));
                    if (!unknownPlugins.isEmpty()) {
                        b.append("; no bundled data for ").append(String.join(", ", unknownPlugins));
                    }
                    b.append(')');
                    b.append(fact.path("unknownFails").asBoolean(false) ? ": Tutor fails with \"Image '" + image
                            + "' could not be found\"" : ": Tutor would skip it silently");
                    Set<String> providers = imageProviders(verb, image);
                    if (!providers.isEmpty()) {
                        b.append("; plugin ").append(String.join(", ", providers)).append(" provides it once enabled");
                    }
                    problems.add(b.toString());
                }
            }
        }
        boolean init = (path.size() == 2 && MODES.contains(path.get(0)) && path.get(1).equals("init"))
                || (path.size() == 3 && MODES.contains(path.get(0)) && path.get(1).equals("do") && path.get(2).equals("init"));
        if (init) {
            Optional<String> limit = r.value("--limit");
            if (limit.isPresent()) {
                Set<String> names = new TreeSet<>(GrammarData.strings(data.facts(entry).path("initLimit").path("names")));
                if (!names.contains(limit.get()) && !active.containsKey(limit.get())
                        && !unknownPlugins.contains(limit.get())) {
                    problems.add(prefix + "'" + label + " --limit' names " + limit.get()
                            + ", which is neither a core service (" + String.join(", ", names)
                            + ") nor an enabled plugin: nothing would be initialised");
                }
            }
        }
        if (path.equals(List.of("config", "printvalue")) && !r.arguments.isEmpty()) {
            String key = r.arguments.values().iterator().next().get(0);
            Set<String> keys = new TreeSet<>(data.configKeys(entry.keysId()));
            for (GrammarData.PluginEntry p : active.values()) {
                keys.addAll(plugins.get().configKeys(p.keysId()));
            }
            if (!keys.contains(key) && unknownPlugins.isEmpty()) {
                String suffix = key.contains("_") ? key.substring(key.indexOf('_')) : key;
                List<String> near = keys.stream().filter(k -> !k.equals(key) && k.endsWith(suffix)
                        && k.indexOf('_') == k.length() - suffix.length()).toList();
                problems.add(prefix + "'config printvalue' key " + key + " is not defined by Tutor " + entry.version()
                        + (active.isEmpty() ? "" : " or the enabled plugins")
                        + (near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)"));
            }
        }
    }

    private Set<String> imageProviders(String verb, String image) {
        Set<String> out = new TreeSet<>();
        for (GrammarData.PluginEntry p : plugins.get().entries) {
            if (p.images().getOrDefault(verb, Set.of()).contains(image)) {
                out.add(p.release().name());
            }
        }
        return out;
    }

    private static boolean glob(String pattern, String value) {
        String regex = Pattern.quote(pattern).replace("*", "\\E[^/]+\\Q");
        return value.matches(regex);
    }

    static Optional<GrammarData.PluginEntry> find(GrammarData.Plugins known, String name, String version) {
        Pep440Version wanted = Pep440Version.isValid(version) ? Pep440Version.parse(version) : null;
        GrammarData.PluginEntry best = null;
        for (GrammarData.PluginEntry p : known.entries) {
            PluginRelease release = p.release();
            boolean nameMatches = release.name().equals(name) || PipRequirement.canonical(release.pipPackage())
                    .equals(PipRequirement.canonical(name));
            if (nameMatches && wanted != null && Pep440Version.parse(release.version()).equals(wanted)) {
                if (best == null || (!best.release().tagged() && release.tagged())) {
                    best = p;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static String knownVersions(GrammarData.Plugins known, String name) {
        Set<String> versions = new LinkedHashSet<>();
        for (GrammarData.PluginEntry p : known.entries) {
            if (p.release().name().equals(name)) {
                versions.add(p.release().version());
            }
        }
        List<String> list = new ArrayList<>(versions);
        return list.size() > 8 ? String.join(", ", list.subList(0, 3)) + " ... "
                + String.join(", ", list.subList(list.size() - 4, list.size())) : String.join(", ", list);
    }

    private String nearest(TutorVersion version) {
        List<String> out = new ArrayList<>();
        TutorVersion lower = data.versions.lowerKey(version);
        TutorVersion higher = data.versions.higherKey(version);
        if (lower != null) {
            out.add(lower.toString());
        }
        if (higher != null) {
            out.add(higher.toString());
        }
        return String.join(", ", out);
    }
}
