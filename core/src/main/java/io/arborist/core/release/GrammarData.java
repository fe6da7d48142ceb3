package io.arborist.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.CatalogException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data written by {@code scripts/extract-tutor-grammar}. {@code tutor-grammar.json}: one entry per Tutor version
 * ({@code versions}) pointing by id into tables ({@code nodes}: click commands, {@code facts}, {@code configKeys},
 * {@code packages}) in which each distinct value is stored once. {@code plugins.json}: one entry per plugin release
 * ({@code releases}) pointing into {@code nodes} and {@code configKeys}. Tables are parsed entry by entry when used.
 * Package-private: read once, lazily, by the public services.
 */
final class GrammarData {
    static final String TUTOR_RESOURCE = "/io/arborist/core/catalog/tutor-grammar.json";
    static final String PLUGINS_RESOURCE = "/io/arborist/core/catalog/plugins.json";

    /** One Tutor version of the data. */
    record VersionEntry(TutorVersion version, String ref, boolean branch, String commit, String root, String factsId,
                        String keysId, String packageId) {
    }

    /** One plugin release with the ids that stay internal. */
    record PluginEntry(PluginRelease release, Map<String, String> doJobIds, Map<String, String> commandIds,
                       String keysId, Map<String, Set<String>> images, Map<String, Set<String>> imagePatterns) {
    }

    private static volatile GrammarData tutor;
    private static volatile Plugins plugins;

    final NavigableMap<TutorVersion, VersionEntry> versions;
    final CommandSpec.Table nodes;
    private final JsonTables json;
    private final Map<String, Set<String>> keyCache = new ConcurrentHashMap<>();

    private GrammarData(JsonTables json) {
        this.json = json;
        checkFormat(json);
        NavigableMap<TutorVersion, VersionEntry> out = new TreeMap<>();
        for (JsonNode v : json.member("versions")) {
            TutorVersion version = TutorVersion.parse(v.path("version").asText());
            boolean branch = v.has("branch");
            VersionEntry e = new VersionEntry(version, branch ? v.path("branch").asText() : v.path("tag").asText(),
                    branch, v.path("commit").asText(), v.path("grammar").asText(), v.path("facts").asText(),
                    v.path("configKeys").asText(), v.path("package").asText());
            if (!json.has("nodes", e.root()) || !json.has("facts", e.factsId()) || !json.has("configKeys", e.keysId())
                    || !json.has("packages", e.packageId())) {
                throw new CatalogException(json.sourceName() + ": version " + version + " points to a missing entry",
                        null);
            }
            out.put(version, e);
        }
        versions = Collections.unmodifiableNavigableMap(out);
        nodes = new CommandSpec.Table(json);
    }

    private static void checkFormat(JsonTables json) {
        if (json.member("format").asInt() != 1) {
            throw new CatalogException(json.sourceName() + ": format " + json.member("format")
                    + " is not supported (expected 1)", null);
        }
    }

    static GrammarData tutor() {
        GrammarData d = tutor;
        if (d == null) {
            synchronized (GrammarData.class) {
                d = tutor;
                if (d == null) {
                    d = new GrammarData(JsonTables.read(TUTOR_RESOURCE, Set.of("nodes", "facts", "configKeys",
                            "packages"), Set.of("format", "versions")));
                    tutor = d;
                }
            }
        }
        return d;
    }

    static Plugins plugins() {
        Plugins p = plugins;
        if (p == null) {
            synchronized (GrammarData.class) {
                p = plugins;
                if (p == null) {
                    p = new Plugins(JsonTables.read(PLUGINS_RESOURCE, Set.of("nodes", "configKeys"),
                            Set.of("format", "releases")));
                    plugins = p;
                }
            }
        }
        return p;
    }

    JsonNode facts(VersionEntry e) {
        return json.entry("facts", e.factsId());
    }

    JsonNode pkg(VersionEntry e) {
        return json.entry("packages", e.packageId());
    }

    Set<String> configKeys(String id) {
        return keyCache.computeIfAbsent(id, key -> Collections.unmodifiableSet(
                new TreeSet<>(strings(json.entry("configKeys", key).path("keys")))));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static Map<String, String> ids(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    /** The plugin releases of plugins.json. */
    static final class Plugins {
        final List<PluginEntry> entries;
        final CommandSpec.Table nodes;
        private final JsonTables json;
        private final Map<String, Set<String>> keyCache = new ConcurrentHashMap<>();

        private Plugins(JsonTables json) {
            this.json = json;
            checkFormat(json);
            nodes = new CommandSpec.Table(json);
            List<PluginEntry> out = new ArrayList<>();
            for (JsonNode r : json.member("releases")) {
                Map<String, Set<String>> images = new HashMap<>();
                Map<String, Set<String>> patterns = new HashMap<>();
                r.path("images").fields().forEachRemaining(e -> {
                    images.put(e.getKey(), Set.copyOf(strings(e.getValue().path("names"))));
                    patterns.put(e.getKey(), Set.copyOf(strings(e.getValue().path("patterns"))));
                });
                Map<String, String> jobIds = ids(r.path("doJobs"));
                Map<String, String> commandIds = ids(r.path("commands"));
                String ref = r.has("tag") ? r.path("tag").asText()
                        : r.has("branch") ? "branch " + r.path("branch").asText() : "untagged commit";
                String source = r.path("repository").asText() + "@" + ref + " (" + r.path("commit").asText().substring(0, 12)
                        + "): " + String.join(", ", strings(r.path("source").path("requirements")))
                        + ", " + r.path("source").path("module").asText();
                PluginRelease release = new PluginRelease(r.path("plugin").asText(), r.path("package").asText(),
                        r.path("version").asText(), r.path("pythonRequires").asText(""),
                        strings(r.path("installRequires")), images.getOrDefault("build", Set.of()),
                        images.getOrDefault("pull", Set.of()), jobIds.keySet(), commandIds.keySet(),
                        Set.copyOf(strings(r.path("initTasks"))), !r.has("untagged") && !r.has("branch"),
                        r.has("branch"), source);
                out.add(new PluginEntry(release, jobIds, commandIds, r.path("configKeys").asText(), images, patterns));
            }
            entries = List.copyOf(out);
        }

        Set<String> configKeys(String id) {
            Set<String> cached = keyCache.get(id);
            if (cached != null) {
                return cached;
            }
            JsonNode n = json.entry("configKeys", id);
            Set<String> out;
            if (n.has("keys")) {
                out = new TreeSet<>(strings(n.path("keys")));
            } else {
                out = new TreeSet<>(configKeys(n.path("base").asText()));
                out.addAll(strings(n.path("add")));
                strings(n.path("remove")).forEach(out::remove);
            }
            Set<String> result = Collections.unmodifiableSet(out);
            keyCache.put(id, result);
            return result;
        }
    }
}
