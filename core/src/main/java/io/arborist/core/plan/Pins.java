package io.arborist.core.plan;

import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.PipRequirement;
import io.arborist.core.release.PluginRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.TutorFacts;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.release.VersionSpecifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pip install} of a hop: Tutor at the version that pins the target point, the plugins the hop's images
 * come from (unless Tutor's {@code full} extra brings them), the extra plugins, and Aspects, each at a version whose own
 * {@code install_requires} admit that Tutor (data extracted from each plugin's tags). The host Python it needs is the
 * oldest one every {@code python_requires} among them admits.
 */
final class Pins {
    private Pins() {
    }

    /**
     * The install command and what the plan says about it.
     *
     * @param argv the pip command
     * @param plugins the plugins it installs (plugin name to version), for the steps after it
     * @param python the oldest host Python it needs, when the data says
     * @param explanation what the plan says about it
     */
    record Install(List<String> argv, Map<String, String> plugins, Optional<String> python, String explanation) {
    }

    /**
     * @param packages pip packages installed beside the Tutor installed now (name to version)
     * @return "Needs Python X or later ..." for them and that Tutor, or empty text when the data has no requirement
     */
    static String python(Draft d, Map<String, String> packages) {
        Map<String, VersionSpecifier> python = new LinkedHashMap<>();
        d.upstream.facts(d.tutor).ifPresent(f -> python.put("tutor " + d.tutor, f.pythonSpecifier()));
        packages.forEach((pkg, v) -> d.upstream.release(pkg, v).ifPresent(p -> python.put(pkg + " " + v, p.pythonSpecifier())));
        return needs(python).orElse("");
    }

    private static Optional<String> needs(Map<String, VersionSpecifier> python) {
        return Upstream.oldestPythonOf(python.values()).map(h -> "Needs Python " + h + " or later on the host where pip runs "
                + "(python_requires: " + python.entrySet().stream().filter(e -> !e.getValue().isAny())
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("none declared") + ").");
    }

    static Install forHop(Draft d, Release next, TutorVersion tutor, Optional<AspectsVersion> aspects) {
        List<String> argv = new ArrayList<>(List.of("pip", "install", next.tutor().pipPackage() + "==" + tutor));
        Map<String, String> plugins = new LinkedHashMap<>();
        Map<String, VersionSpecifier> python = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Optional<TutorFacts> facts = d.upstream.facts(tutor);
        facts.ifPresent(f -> python.put("tutor " + tutor, f.pythonSpecifier()));
        if (next.tutor().pipPackage().endsWith("[full]")) {
            plugins.putAll(d.upstream.fullExtra(tutor));
        }
        for (String image : next.images()) {
            d.upstream.providerOf(image, tutor).filter(p -> !plugins.containsKey(p.name())).ifPresent(p -> {
                argv.add(p.pipPackage() + "==" + p.version());
                plugins.put(p.name(), p.version());
                python.put(p.pipPackage() + " " + p.version(), p.pythonSpecifier());
                notes.add(p.pipPackage() + " " + p.version() + " provides the " + image + " image (Tutor " + tutor + "'s package has "
                        + "no extra that brings it); it is the newest version whose requirements admit Tutor " + tutor + ".");
            });
        }
        for (String name : d.from.plugins()) {
            String pkg = name.startsWith("tutor-") ? name : "tutor-" + name;
            Optional<PluginRelease> known = d.upstream.newestCompatible(pkg, tutor);
            if (known.isPresent()) {
                PluginRelease p = known.get();
                argv.add(p.pipPackage() + "==" + p.version());
                plugins.put(p.name(), p.version());
                python.put(p.pipPackage() + " " + p.version(), p.pythonSpecifier());
            } else if (!d.upstream.plugins.releases(pkg).isEmpty()) {
                throw new PlanningException(ErrorKind.INCOMPATIBLE, "No release of " + pkg + " in the plugin data admits Tutor " + tutor
                        + " (" + next.displayName() + "): find one, or remove the plugin before the upgrade.");
            } else {
                argv.add(pkg + ">=" + tutor.major() + ".0.0,<" + (tutor.major() + 1) + ".0.0");
                notes.add(pkg + " is not in the plugin data: it is pinned to major " + tutor.major() + " on the assumption that it "
                        + "follows Tutor's versioning like the official plugins; check it.");
            }
        }
        aspects.ifPresent(a -> {
            argv.add(AspectsSteps.PACKAGE + "==" + a);
            plugins.put("aspects", a.toString());
            d.upstream.release(AspectsSteps.PACKAGE, a.toString())
                    .ifPresent(p -> python.put(AspectsSteps.PACKAGE + " " + a, p.pythonSpecifier()));
            notes.add("Aspects is pinned at " + a + " so pip does not move it as a side effect.");
        });
        Optional<String> host = Upstream.oldestPythonOf(python.values());
        needs(python).ifPresent(n -> notes.add(0, n));
        if (facts.map(f -> f.branch()).orElse(false)) {
            d.warnings.add("Tutor " + tutor + " (" + next.displayName() + ") is read from the " + facts.get().ref() + " branch, not a "
                    + "release: its pip requirements point at development branches, so the install cannot be checked; check "
                    + "'pip index versions tutor' before the hop.");
        }
        return new Install(List.copyOf(argv), Map.copyOf(plugins), host, String.join(" ", notes));
    }
}
