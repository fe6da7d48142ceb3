package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.release.PipRequirement;
import io.arborist.core.release.PluginRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a plan against what the software installed at each step accepts, replaying it from the installation it
 * starts from: every {@code tutor} argv must parse under the grammar of the Tutor version installed at that point, with
 * the plugins enabled at that point (so images are built only for enabled plugins, jobs exist, commands that ask carry
 * their non-interactive flag); every {@code pip install} must be satisfiable with the Python the step says the host
 * needs; no Aspects version is launched or initialised on a release outside its documented range; and the only other
 * commands are the file moves the planner writes, below {@code ${TUTOR_ROOT}}. The facts come from upstream source
 * ({@link io.arborist.core.release.TutorGrammar}, {@link io.arborist.core.release.PluginCatalog},
 * {@link io.arborist.core.release.PipInstallCheck}), not from the planner.
 *
 * <p>The executor runs it before the first step, so a hand-edited plan is refused with one line per problem instead
 * of half-running.
 *
 * @since 0.2
 */
public final class PlanConformance {
    private static final Pattern NEEDS_PYTHON = Pattern.compile("Needs Python (\\d+\\.\\d+) or later");
    private static final Pattern ROOT_PATH = Pattern.compile("\\$\\{TUTOR_ROOT\\}/[A-Za-z0-9._/-]+");

    private PlanConformance() {
    }

    /**
     * @param plan a plan, possibly read from a file someone edited
     * @param catalog the catalog it was planned with
     * @return one line per problem, each naming the step; empty when every command conforms
     */
    public static List<String> check(UpgradePlan plan, ReleaseCatalog catalog) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(catalog, "catalog");
        return new Replay(plan, catalog).run();
    }

    /** The installation as the plan's steps change it. */
    private static final class Replay {
        private final UpgradePlan plan;
        private final ReleaseCatalog catalog;
        private final Upstream upstream;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, String> installed = new LinkedHashMap<>();
        private final Map<String, String> enabled = new LinkedHashMap<>();
        private TutorVersion tutor;

        Replay(UpgradePlan plan, ReleaseCatalog catalog) {
            this.plan = plan;
            this.catalog = catalog;
            this.upstream = new Upstream(catalog);
            Release from = catalog.release(plan.from().release().release());
            this.tutor = plan.from().tutor().orElse(from.tutor().pin());
            plan.from().aspects().ifPresent(a -> {
                installed.put("aspects", a.version().toString());
                enabled.put("aspects", a.version().toString());
            });
        }

        List<String> run() {
            for (UpgradeStep step : plan.steps()) {
                for (List<String> argv : step.commands()) {
                    command(step, argv);
                }
                if (step.kind() == StepKind.LAUNCH || step.kind() == StepKind.ASPECTS_INIT) {
                    aspectsRange(step);
                }
            }
            return List.copyOf(problems);
        }

        private void problem(UpgradeStep step, String text) {
            problems.add(step.id() + ": " + text);
        }

        private void command(UpgradeStep step, List<String> argv) {
            String program = argv.get(0);
            switch (program) {
                case "tutor" -> tutor(step, argv);
                case "pip", "pip3" -> pip(step, argv);
                case "mkdir", "mv", "rm" -> file(step, argv);
                default -> problem(step, "'" + program + "' is not a command Arborist plans (tutor, pip, or mkdir/mv/rm below "
                        + "${TUTOR_ROOT})");
            }
        }

        private void tutor(UpgradeStep step, List<String> argv) {
            upstream.check(tutor, enabled, argv).forEach(p -> problem(step, p));
            if (argv.size() > 3 && argv.get(1).equals("plugins")) {
                List<String> names = argv.subList(3, argv.size()).stream().filter(a -> !a.startsWith("-")).toList();
                if (argv.get(2).equals("enable")) {
                    for (String name : names) {
                        String version = installed.get(name);
                        if (version == null) {
                            problem(step, "enables plugin '" + name + "', which no pip install of the plan installed");
                        } else {
                            enabled.put(name, version);
                        }
                    }
                } else if (argv.get(2).equals("disable")) {
                    names.forEach(enabled::remove);
                }
            }
        }

        private void pip(UpgradeStep step, List<String> argv) {
            Matcher m = NEEDS_PYTHON.matcher(step.rationale());
            Optional<String> python = m.find() ? Optional.of(m.group(1)) : Optional.empty();
            List<PipRequirement> reqs = new ArrayList<>();
            for (String arg : argv.subList(Math.min(2, argv.size()), argv.size())) {
                if (!arg.startsWith("-")) {
                    try {
                        reqs.add(PipRequirement.parse(arg));
                    } catch (IllegalArgumentException e) {
                        problem(step, e.getMessage());
                        return;
                    }
                }
            }
            boolean pinsTutorOrPlugin = reqs.stream().anyMatch(r -> r.name().startsWith("tutor"));
            if (python.isEmpty() && pinsTutorOrPlugin) {
                problem(step, "installs Tutor packages but does not say which Python the host needs (\"Needs Python X or later\")");
            }
            // What pip keeps: the installed Tutor, when the command does not name it. Plugins the command does not name
            // are upgraded by pip when a named requirement needs it, so they do not constrain it.
            Map<String, String> installedPackages = new LinkedHashMap<>();
            installedPackages.put("tutor", tutor.toString());
            Optional<TutorVersion> newTutor = reqs.stream().filter(r -> r.canonicalName().equals("tutor") || r.canonicalName().equals("tutor-openedx"))
                    .flatMap(r -> r.specifier().pinned().stream()).map(TutorVersion::parse).findFirst();
            boolean branchTip = newTutor.flatMap(upstream::facts).map(f -> f.branch() && newTutor.get().equals(f.version())).orElse(false);
            if (!branchTip) {
                upstream.pip.check(argv, python.orElse("3.12"), installedPackages).forEach(p -> problem(step,
                        p + python.map(v -> " (host Python " + v + ", as the step says)").orElse("")));
            } else if (plan.warnings().stream().noneMatch(w -> w.contains("Tutor " + newTutor.get()) && w.contains("branch"))) {
                problem(step, "installs Tutor " + newTutor.get() + ", read from a branch, not a release, and the plan does not warn about it");
            }
            for (PipRequirement r : reqs) {
                Optional<String> pinned = r.specifier().pinned();
                if (pinned.isEmpty()) {
                    continue;
                }
                String name = r.canonicalName();
                if (name.equals("tutor") || name.equals("tutor-openedx")) {
                    tutor = TutorVersion.parse(pinned.get());
                    if (r.extras().contains("full")) {
                        installed.putAll(upstream.fullExtra(tutor));
                    }
                } else {
                    upstream.plugins.releases(name).stream().findFirst().map(PluginRelease::name)
                            .ifPresent(plugin -> installed.put(plugin, pinned.get()));
                }
            }
            enabled.replaceAll((name, version) -> installed.getOrDefault(name, version));
        }

        private void file(UpgradeStep step, List<String> argv) {
            List<String> args = argv.subList(1, argv.size());
            boolean ok = switch (argv.get(0)) {
                case "mkdir" -> args.size() == 2 && args.get(0).equals("-p") && underRoot(args.get(1));
                case "mv" -> args.size() == 2 && underRoot(args.get(0)) && underRoot(args.get(1))
                        && (args.get(0).contains("/env/build/openedx/themes/") || args.get(1).contains("/env/build/openedx/themes/"));
                default -> args.size() == 2 && args.get(0).equals("-rf") && underRoot(args.get(1))
                        && (args.get(1).equals(AspectsSteps.SUPERSET_ASSETS) || args.get(1).equals("${TUTOR_ROOT}/data/meilisearch/data.ms"));
            };
            if (!ok) {
                problem(step, "'" + String.join(" ", argv) + "' is not a file command Arborist plans (theme moves and the two "
                        + "documented removals below ${TUTOR_ROOT})");
            }
        }

        private static boolean underRoot(String path) {
            return ROOT_PATH.matcher(path).matches() && !path.contains("/../") && !path.endsWith("/..");
        }

        private void aspectsRange(UpgradeStep step) {
            String version = enabled.get("aspects");
            if (version == null) {
                return;
            }
            AspectsVersion a;
            try {
                a = AspectsVersion.parse(version);
            } catch (IllegalArgumentException e) {
                problem(step, "Aspects version '" + version + "' is not a version");
                return;
            }
            CompatibilityVerdict v = catalog.compatibility(a, step.release());
            if (!v.supported()) {
                problem(step, "launches Aspects " + a + " on " + step.release().displayName() + ", outside its documented range ("
                        + v.reason() + ")");
            }
        }
    }
}
