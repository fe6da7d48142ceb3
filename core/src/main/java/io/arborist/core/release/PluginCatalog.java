package io.arborist.core.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The releases of the Tutor plugins Arborist installs (tutor-mfe, tutor-forum, tutor-contrib-aspects, tutor-indigo,
 * tutor-minio) with what each declares: {@code python_requires}, {@code install_requires}, images, {@code do} jobs,
 * commands. Extracted from each plugin's source at every version tag by {@code scripts/extract-tutor-grammar}
 * (versions released without a tag, and {@code verawood} branch tips, are included and marked).
 *
 * <pre>{@code
 * PluginCatalog plugins = PluginCatalog.bundled();
 * plugins.releases("tutor-contrib-aspects");                                   // 0.1.0 ... 3.0.4
 * plugins.newestCompatible("tutor-mfe", TutorVersion.parse("12.2.0"));        // tutor-mfe 12.1.0
 * }</pre>
 *
 * <p>Loaded on first use; immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PluginCatalog {
    private static final PluginCatalog BUNDLED = new PluginCatalog();
    private static final Comparator<PluginRelease> ORDER = Comparator
            .comparing((PluginRelease r) -> Pep440Version.parse(r.version()))
            .thenComparing(PluginRelease::branch);

    private volatile Map<String, List<PluginRelease>> index;

    private PluginCatalog() {
    }

    /** @return the plugin data shipped with Arborist */
    public static PluginCatalog bundled() {
        return BUNDLED;
    }

    /** @return the pip project names with data, sorted */
    public Set<String> packages() {
        Set<String> out = new TreeSet<>();
        GrammarData.plugins().entries.forEach(e -> out.add(e.release().pipPackage()));
        return out;
    }

    /**
     * @param name a pip project name ({@code tutor-mfe}) or a plugin name ({@code mfe})
     * @return its releases, oldest first (a branch tip after the release of the same version); empty when unknown
     */
    public List<PluginRelease> releases(String name) {
        Objects.requireNonNull(name, "name");
        Map<String, List<PluginRelease>> byName = index();
        List<PluginRelease> out = byName.get(PipRequirement.canonical(name));
        return out != null ? out : byName.getOrDefault("plugin:" + name, List.of());
    }

    /** The releases by canonical pip name and by {@code plugin:NAME}, built once: the data never changes. */
    private Map<String, List<PluginRelease>> index() {
        Map<String, List<PluginRelease>> i = index;
        if (i == null) {
            Map<String, List<PluginRelease>> build = new HashMap<>();
            for (GrammarData.PluginEntry e : GrammarData.plugins().entries) {
                PluginRelease r = e.release();
                build.computeIfAbsent(PipRequirement.canonical(r.pipPackage()), k -> new ArrayList<>()).add(r);
                build.computeIfAbsent("plugin:" + r.name(), k -> new ArrayList<>()).add(r);
            }
            build.replaceAll((k, list) -> {
                list.sort(ORDER);
                return List.copyOf(list);
            });
            i = Map.copyOf(build);
            index = i;
        }
        return i;
    }

    /**
     * @param name a pip project name or plugin name
     * @param version a version, e.g. {@code 2.4.0}
     * @return that release (the tagged one when a branch tip has the same version), if known
     */
    public Optional<PluginRelease> release(String name, String version) {
        Objects.requireNonNull(version, "version");
        if (!Pep440Version.isValid(version)) {
            throw new IllegalArgumentException("not a PEP 440 version: '" + version + "' (expected e.g. 2.4.0)");
        }
        Pep440Version wanted = Pep440Version.parse(version);
        return releases(name).stream().filter(r -> Pep440Version.parse(r.version()).equals(wanted))
                .min(Comparator.comparing(PluginRelease::branch).thenComparing(r -> !r.tagged()));
    }

    /**
     * The newest release (branch tips excluded) whose requirement on {@code tutor} (or {@code tutor-openedx})
     * accepts a Tutor version.
     *
     * @param name a pip project name or plugin name
     * @param tutor the Tutor version it must run with
     * @return the release, if any
     */
    public Optional<PluginRelease> newestCompatible(String name, TutorVersion tutor) {
        Objects.requireNonNull(tutor, "tutor");
        List<PluginRelease> all = releases(name);
        for (int i = all.size() - 1; i >= 0; i--) {
            PluginRelease r = all.get(i);
            if (r.branch()) {
                continue;
            }
            Optional<PipRequirement> req = r.requirementOn("tutor").or(() -> r.requirementOn("tutor-openedx"));
            if (req.map(q -> q.matches(tutor.toString())).orElse(true)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
