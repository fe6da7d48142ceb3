package io.arborist.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command grammar of every Tutor version Arborist knows (3.0.0 through 21.0.8, and 22.0.0 from the
 * {@code verawood} branch), extracted from Tutor's source by {@code scripts/extract-tutor-grammar}, and a checker
 * that tells whether the Tutor installed at a step accepts a command.
 *
 * <pre>{@code
 * TutorGrammar grammar = TutorGrammar.bundled();
 * grammar.check(TutorVersion.parse("11.3.1"), Map.of(), List.of("tutor", "k8s", "upgrade", "--from=juniper"));
 * // ["Tutor 11.3.1: 'k8s upgrade --from' accepts ironwood, not juniper"]
 * }</pre>
 *
 * <p>The check parses the argv the way click does (subcommands, {@code --opt=value} and {@code --opt value}, short
 * option clusters, flags, repeated options, choices, argument counts, {@code --}, pass-through commands) and adds what
 * click cannot see: {@code images build|pull|push} names must be known to core Tutor or an enabled plugin, {@code do}
 * jobs and plugin commands must come from an enabled plugin, {@code init --limit} must name a core service or an
 * enabled plugin, {@code config printvalue} keys must be defined, and a command that asks on its standard input must
 * carry the option that turns that off (Arborist runs commands with stdin closed).
 *
 * <p>The data is loaded on first use (plugin data only when a plugin is enabled), then the object is immutable and
 * thread-safe.
 *
 * @since 0.1
 */
public final class TutorGrammar {
    private static final TutorGrammar BUNDLED = new TutorGrammar();

    private TutorGrammar() {
    }

    /** @return the grammar shipped with Arborist (its data is read on the first call that needs it) */
    public static TutorGrammar bundled() {
        return BUNDLED;
    }

    private static GrammarData data() {
        return GrammarData.tutor();
    }

    /** @return every Tutor version with a grammar, in order */
    public Set<TutorVersion> versions() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(data().versions.keySet()));
    }

    /**
     * Checks one command against the grammar of the installed Tutor.
     *
     * @param tutor the installed Tutor version
     * @param plugins the enabled plugins: plugin name ({@code mfe}, {@code aspects}) to installed package version
     *                ({@code 12.0.1}); plugins without bundled data are allowed but what they add cannot be verified
     * @param argv the command, starting with {@code tutor}
     * @return one line per problem, naming the Tutor version and the offending token; empty when Tutor accepts it
     */
    public List<String> check(TutorVersion tutor, Map<String, String> plugins, List<String> argv) {
        Objects.requireNonNull(tutor, "tutor");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(argv, "argv");
        return List.copyOf(new ArgvCheck(data(), GrammarData::plugins).check(tutor, new LinkedHashMap<>(plugins),
                List.copyOf(argv)));
    }

    /**
     * The facts a Tutor version declares in its source.
     *
     * @param tutor a Tutor version
     * @return its facts, or empty when the version is not in the bundled data
     */
    public Optional<TutorFacts> facts(TutorVersion tutor) {
        Objects.requireNonNull(tutor, "tutor");
        GrammarData.VersionEntry e = data().versions.get(tutor);
        if (e == null) {
            return Optional.empty();
        }
        JsonNode f = data().facts(e);
        Map<String, List<String>> upgrade = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        f.path("upgradeFrom").fields().forEachRemaining(m -> {
            upgrade.put(m.getKey(), GrammarData.strings(m.getValue().path("choices")));
            sources.put("upgradeFrom." + m.getKey(), m.getValue().path("source").asText());
        });
        JsonNode images = f.path("images");
        images.fields().forEachRemaining(m -> sources.put("images." + m.getKey(), m.getValue().path("source").asText()));
        if (f.has("doJobs")) {
            sources.put("doJobs", String.join(", ", GrammarData.strings(f.path("doJobs").path("source"))));
        }
        if (f.has("initLimit")) {
            sources.put("initLimits", String.join(", ", GrammarData.strings(f.path("initLimit").path("source"))));
        }
        JsonNode pkg = data().pkg(e);
        sources.put("package", String.join(", ", GrammarData.strings(pkg.path("source"))));
        return Optional.of(new TutorFacts(tutor, e.ref(), e.branch(), e.commit(), pkg.path("name").asText(),
                pkg.path("pythonRequires").asText(""), GrammarData.strings(pkg.path("installRequires")),
                GrammarData.strings(pkg.path("extras").path("full")), upgrade,
                new TreeSet<>(GrammarData.strings(images.path("build").path("names"))),
                new TreeSet<>(GrammarData.strings(images.path("pull").path("names"))),
                new TreeSet<>(GrammarData.strings(images.path("push").path("names"))),
                images.path("build").path("unknownFails").asBoolean(false),
                new TreeSet<>(GrammarData.strings(f.path("doJobs").path("names"))),
                new TreeSet<>(GrammarData.strings(f.path("initLimit").path("names"))), sources));
    }

    /**
     * The configuration keys {@code tutor config printvalue} knows without a user setting: the defaults of that
     * Tutor version plus those of the enabled plugins with bundled data.
     *
     * @param tutor a Tutor version
     * @param plugins enabled plugins: name to installed version
     * @return the keys, sorted; empty when the version is not in the bundled data
     */
    public Set<String> configKeys(TutorVersion tutor, Map<String, String> plugins) {
        Objects.requireNonNull(tutor, "tutor");
        Objects.requireNonNull(plugins, "plugins");
        GrammarData.VersionEntry e = data().versions.get(tutor);
        if (e == null) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>(data().configKeys(e.keysId()));
        if (!plugins.isEmpty()) {
            GrammarData.Plugins known = GrammarData.plugins();
            plugins.forEach((name, version) -> ArgvCheck.find(known, name, version)
                    .ifPresent(p -> out.addAll(known.configKeys(p.keysId()))));
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The subcommand names of a group, e.g. {@code ["local", "do"]} on 21.0.8 gives the core jobs.
     *
     * @param tutor a Tutor version
     * @param group the path of a group below {@code tutor} (empty for the top level)
     * @return the names, sorted; empty when the version or the group is unknown
     */
    public Set<String> commands(TutorVersion tutor, List<String> group) {
        Objects.requireNonNull(tutor, "tutor");
        Objects.requireNonNull(group, "group");
        GrammarData.VersionEntry e = data().versions.get(tutor);
        if (e == null) {
            return Set.of();
        }
        String id = e.root();
        for (String name : group) {
            id = data().nodes.childIdsByName(id).get(name);
            if (id == null) {
                return Set.of();
            }
        }
        return Collections.unmodifiableSet(new TreeSet<>(new ArrayList<>(data().nodes.childIdsByName(id).keySet())));
    }
}
