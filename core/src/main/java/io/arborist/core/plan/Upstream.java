package io.arborist.core.plan;

import io.arborist.core.release.PipInstallCheck;
import io.arborist.core.release.PluginRelease;
import io.arborist.core.release.VersionSpecifier;
import io.arborist.core.release.PluginCatalog;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.TutorFacts;
import io.arborist.core.release.TutorGrammar;
import io.arborist.core.release.TutorVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the planner and the conformance check ask of the facts extracted from upstream source: the Tutor grammar of a
 * version (the nearest known one below it for a version newer than the data, e.g. from an overlay), its facts, and the
 * plugin releases.
 */
final class Upstream {
    /*
     * The bundled data never changes after it is loaded, so answers are memoised across plans: a plan asks the same
     * few hundred questions, and the property tests ask them for thousands of plans.
     */
    private static final Map<String, List<String>> CHECKS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<PluginRelease>> PROVIDERS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<String>> NEAREST_PLUGIN = new ConcurrentHashMap<>();
    private static final Map<String, Set<String>> CONFIG_KEYS = new ConcurrentHashMap<>();
    private static final Map<TutorVersion, Optional<TutorFacts>> FACTS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<PluginRelease>> NEWEST = new ConcurrentHashMap<>();
    private static final Map<String, Optional<PluginRelease>> RELEASE = new ConcurrentHashMap<>();
    private static final Map<String, Optional<String>> PYTHON = new ConcurrentHashMap<>();
    private static final Map<TutorVersion, Map<String, String>> FULL = new ConcurrentHashMap<>();
    private static volatile NavigableSet<TutorVersion> versions;

    final TutorGrammar grammar;
    final PluginCatalog plugins;
    final PipInstallCheck pip;

    Upstream(ReleaseCatalog catalog) {
        this.grammar = catalog.tutorGrammar();
        this.plugins = catalog.plugins();
        this.pip = catalog.pipInstallCheck();
    }

    private NavigableSet<TutorVersion> versions() {
        NavigableSet<TutorVersion> v = versions;
        if (v == null) {
            v = new TreeSet<>(grammar.versions());
            versions = v;
        }
        return v;
    }

    boolean knows(TutorVersion v) {
        return versions().contains(v);
    }

    /** @return the version whose grammar stands for {@code v}: itself when known, else the newest known below it */
    TutorVersion nearest(TutorVersion v) {
        TutorVersion floor = versions().floor(v);
        return floor != null ? floor : versions().first();
    }

    List<String> check(TutorVersion v, Map<String, String> enabled, List<String> argv) {
        TutorVersion n = nearest(v);
        Map<String, String> k = known(enabled);
        return CHECKS.computeIfAbsent(n + "|" + k + "|" + String.join("\u0000", argv), key -> grammar.check(n, k, argv));
    }

    /**
     * @return the enabled plugins with each version the data lacks replaced by the newest known one below it (Aspects 4.0.0,
     *     announced but not tagged when the data was extracted, is checked as the newest 3.x), so the check stays useful
     */
    Map<String, String> known(Map<String, String> enabled) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        enabled.forEach((name, version) -> out.put(name, nearestPlugin(name, version).orElse(version)));
        return out;
    }

    /** @return the version of a known plugin whose data stands for {@code version}, when the data lacks it */
    Optional<String> nearestPlugin(String name, String version) {
        return NEAREST_PLUGIN.computeIfAbsent(name + "|" + version, k -> findNearestPlugin(name, version));
    }

    private Optional<String> findNearestPlugin(String name, String version) {
        List<PluginRelease> all = plugins.releases(name);
        if (all.isEmpty() || !version.matches("\\d+(\\.\\d+)*") || plugins.release(name, version).isPresent()) {
            return Optional.empty();
        }
        VersionSpecifier notNewer = VersionSpecifier.parse("<=" + version);
        return all.stream().filter(r -> !r.branch() && notNewer.contains(r.version())).reduce((a, b) -> b).map(PluginRelease::version);
    }

    boolean accepts(TutorVersion v, Map<String, String> enabled, List<String> argv) {
        return check(v, enabled, argv).isEmpty();
    }

    Set<String> commands(TutorVersion v, List<String> group) {
        return grammar.commands(nearest(v), group);
    }

    Optional<TutorFacts> facts(TutorVersion v) {
        return FACTS.computeIfAbsent(nearest(v), grammar::facts);
    }

    boolean configKey(TutorVersion v, Map<String, String> enabled, String key) {
        TutorVersion n = nearest(v);
        Map<String, String> k = known(enabled);
        return CONFIG_KEYS.computeIfAbsent(n + "|" + k, x -> grammar.configKeys(n, k)).contains(key);
    }

    /**
     * @return the plugin release that provides an image core Tutor does not know at that version (the mfe image from
     *     Tutor 12 on), at the newest version whose requirements admit that Tutor
     */
    Optional<PluginRelease> providerOf(String image, TutorVersion v) {
        return PROVIDERS.computeIfAbsent(image + "|" + v, k -> findProvider(image, v));
    }

    private Optional<PluginRelease> findProvider(String image, TutorVersion v) {
        if (facts(v).map(f -> f.buildImages().contains(image)).orElse(false)) {
            return Optional.empty();
        }
        for (String pkg : plugins.packages()) {
            Optional<PluginRelease> r = newestCompatible(pkg, v);
            if (r.isPresent() && r.get().images().contains(image)) {
                return r;
            }
        }
        return Optional.empty();
    }

    /** @return why a plugin release cannot be installed beside that Tutor, if its requirement on Tutor excludes it */
    static Optional<String> tutorRequirementRejects(PluginRelease r, TutorVersion tutor) {
        return r.requirementOn("tutor").or(() -> r.requirementOn("tutor-openedx")).filter(q -> !q.matches(tutor.toString()))
                .map(q -> r.pipPackage() + " " + r.version() + " requires " + q);
    }

    /** Python minor versions, oldest first, to find the oldest a set of python_requires admits. */
    private static final List<String> PYTHONS = List.of("2.7", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14");

    /** @return the oldest Python minor every specifier admits */
    static Optional<String> oldestPython(java.util.Collection<VersionSpecifier> specs) {
        return PYTHONS.stream().filter(p -> specs.stream().allMatch(s -> s.contains(p + ".0") || s.contains(p))).findFirst();
    }

    /** @return the newest release of a plugin whose requirement on Tutor admits that version (memoised) */
    Optional<PluginRelease> newestCompatible(String pkg, TutorVersion tutor) {
        return NEWEST.computeIfAbsent(pkg + "|" + tutor, k -> plugins.newestCompatible(pkg, tutor));
    }

    /** @return that release of a plugin, if the data has it (memoised) */
    Optional<PluginRelease> release(String pkg, String version) {
        return RELEASE.computeIfAbsent(pkg + "|" + version, k -> plugins.release(pkg, version));
    }

    /** @return {@link #oldestPython(java.util.Collection)}, memoised by the specifiers' text */
    static Optional<String> oldestPythonOf(java.util.Collection<VersionSpecifier> specs) {
        return PYTHON.computeIfAbsent(specs.stream().map(VersionSpecifier::toString).sorted().toList().toString(), k -> oldestPython(specs));
    }

    /**
     * @return the plugins Tutor's {@code full} extra installs with that version (plugin name to the newest release its
     *     requirement admits), memoised
     */
    Map<String, String> fullExtra(TutorVersion tutor) {
        return FULL.computeIfAbsent(tutor, t -> {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            facts(t).ifPresent(f -> f.fullExtra().stream().map(io.arborist.core.release.PipRequirement::parse).forEach(r ->
                    newestCompatible(r.name(), t).filter(p -> r.matches(p.version())).ifPresent(p -> out.put(p.name(), p.version()))));
            return Map.copyOf(out);
        });
    }
}
