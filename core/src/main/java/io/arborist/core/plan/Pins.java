package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.PluginRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pip install} of a hop: Tutor at the version that pins the target point, the plugins the hop's images
 * come from (unless Tutor's {@code full} extra already brings them), the extra plugins, and Aspects, each at a
 * version whose own {@code install_requires} admit that Tutor (plugin data extracted from each plugin's tags). The
 * host Python it needs is the highest {@code python_requires} floor among them.
 */
final class Pins {
    private Pins() {
    }

    /** The install command and what the plan says about it. */
    record Install(List<String> argv, String explanation) {
    }

    static Install forHop(Draft d, Release next, TutorVersion tutor, Optional<AspectsVersion> aspects) {
        List<String> argv = new ArrayList<>(List.of("pip", "install", next.tutor().pipPackage() + "==" + tutor));
        Map<String, String> floors = new LinkedHashMap<>();
        d.grammar.pythonRequires(tutor).ifPresent(p -> floors.put("tutor " + tutor, p));
        List<String> notes = new ArrayList<>();
        List<String> included = d.grammar.bundledPlugins(tutor, next.tutor().pipPackage());
        for (String image : next.images()) {
            d.catalog.plugins().providerOf(image, tutor).ifPresent(p -> {
                if (!included.contains(p.packageName())) {
                    argv.add(p.packageName() + "==" + p.version());
                    p.pythonRequires().ifPresent(r -> floors.put(p.packageName() + " " + p.version(), r));
                    notes.add(p.packageName() + " " + p.version() + " provides the " + image + " image; it is the newest version whose "
                            + "requirements admit Tutor " + tutor + ".");
                }
            });
        }
        for (String name : d.from.plugins()) {
            String pkg = name.startsWith("tutor-") ? name : "tutor-" + name;
            Optional<PluginRelease> known = d.catalog.plugins().newestFor(pkg, tutor);
            if (known.isPresent()) {
                argv.add(pkg + "==" + known.get().version());
                known.get().pythonRequires().ifPresent(r -> floors.put(pkg + " " + known.get().version(), r));
            } else if (d.catalog.plugins().find(pkg).isPresent()) {
                throw new io.arborist.core.PlanningException(io.arborist.core.ErrorKind.INCOMPATIBLE, "No version of " + pkg
                        + " in the catalog admits Tutor " + tutor + " (" + next.displayName() + "): find one, add it with a catalog "
                        + "overlay, or remove the plugin before the upgrade.");
            } else {
                argv.add(pkg + ">=" + tutor.major() + ".0.0,<" + (tutor.major() + 1) + ".0.0");
                notes.add(pkg + " is not in the catalog: it is pinned to major " + tutor.major() + " on the assumption that it follows "
                        + "Tutor's versioning like the official plugins; check it.");
            }
        }
        aspects.ifPresent(a -> {
            argv.add(AspectsSteps.PACKAGE + "==" + a);
            d.catalog.plugins().release(AspectsSteps.PACKAGE, a.toString()).flatMap(PluginRelease::pythonRequires)
                    .ifPresent(r -> floors.put(AspectsSteps.PACKAGE + " " + a, r));
            notes.add("Aspects is pinned at " + a + " so pip does not move it as a side effect.");
        });
        String python = d.grammar.highestFloor(floors.values()).map(v -> "Needs Python " + v + " or later on the host where pip runs ("
                + floors.entrySet().stream().filter(e -> d.grammar.floor(e.getValue()).map(v::equals).orElse(false))
                .map(e -> e.getKey() + ": python_requires " + e.getValue()).findFirst().orElse("") + ").").orElse("");
        notes.add(0, python);
        return new Install(List.copyOf(argv), String.join(" ", notes).strip());
    }
}
