package io.arborist.core.plan;

import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.TableRename;
import io.arborist.core.release.Release;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aspects through the climb, following the Aspects upgrade how-to (openedx/openedx-aspects
 * docs/technical_documentation/how-tos/02_upgrade.rst): pip install, remove the old Superset assets, {@code config
 * save}, build openedx, aspects and aspects-superset without cache, {@code do init -l aspects},
 * {@code remove_deprecated_models}.
 *
 * <p>Rules: an Aspects version is only ever launched on a release inside its documented range, and only beside a Tutor
 * its own {@code install_requires} admit. When a platform hop lands where the installed Aspects may not run (the docs
 * force "platform first, then Aspects"), Aspects is upgraded in the same hop: the new version is installed with the
 * new Tutor, and its migrations run in the hop's launch after the platform's own (init tasks of the plugin run after
 * the platform's). That is one build and one downtime instead of two, and no Aspects version ever runs beside a
 * platform it does not support. Majors go one at a time (1 to 2 to 3), each as soon as a release on the way documents
 * it; a major upgrade also lists the table renames to review before init rebuilds the models.
 */
final class AspectsSteps {
    static final String DOC = "Aspects upgrade how-to";
    static final String PACKAGE = "tutor-contrib-aspects";
    static final String SUPERSET_ASSETS = "${TUTOR_ROOT}/env/plugins/aspects/build/aspects-superset/openedx-assets/assets";
    static final List<String> IMAGES = List.of("aspects", "aspects-superset");

    private AspectsSteps() {
    }

    /** @return whether the Aspects plugin patches this image's Dockerfile on this release (openedx; mfe with in-context metrics) */
    static boolean patches(Draft d, Release on, String image) {
        if (image.equals("openedx") || image.equals("openedx-dev")) {
            return true;
        }
        return image.equals("mfe") && inContextMetrics(d, on);
    }

    private static boolean inContextMetrics(Draft d, Release on) {
        return d.from.aspects().map(AspectsSetup::inContextMetrics).orElse(false)
                && on.ordinal() >= d.catalog.release(d.catalog.aspectsFacts().inContextMetricsFrom()).ordinal();
    }

    /** Refuses an installation whose Aspects could not be installed beside its Tutor (the operator described it wrongly). */
    static void checkInstalled(Draft d) {
        d.aspects.ifPresent(a -> admitted(d, a, d.tutor).ifPresent(problem -> {
            throw new PlanningException(ErrorKind.INCOMPATIBLE, "Aspects " + a + " cannot be installed beside Tutor " + d.tutor + " ("
                    + d.release.displayName() + "): " + problem + ". Check 'pip show tutor tutor-contrib-aspects' on the host and give "
                    + "the versions that are really installed (--tutor, --aspects), or the release whose Tutor admits that Aspects.");
        }));
    }

    /** @return why this Tutor cannot have that Aspects, if the plugin's requirements (extracted from its tag) exclude it */
    private static Optional<String> admitted(Draft d, AspectsVersion a, TutorVersion tutor) {
        return d.upstream.release(PACKAGE, a.toString()).flatMap(p -> Upstream.tutorRequirementRejects(p, tutor));
    }

    private static boolean fits(Draft d, AspectsVersion a, Release on, TutorVersion tutor) {
        return d.catalog.compatibility(a, on.name()).supported() && admitted(d, a, tutor).isEmpty();
    }

    /**
     * The Aspects version to install with a platform hop landing on {@code on} with {@code tutor}: the next major when
     * that release documents it (and it is wanted), else the installed version when it may run there, else the newest
     * version of the installed major that may.
     *
     * @throws PlanningException when no version may run there
     */
    static Optional<AspectsVersion> pairWithHop(Draft d, Release on, TutorVersion tutor) {
        if (d.aspects.isEmpty()) {
            return Optional.empty();
        }
        AspectsVersion current = d.aspects.get();
        AspectsVersion goal = d.targetAspects.orElseThrow();
        if (current.major() < goal.major()) {
            Optional<AspectsVersion> next = best(d, current.major() + 1, on, tutor);
            if (next.isPresent()) {
                return next;
            }
        }
        if (fits(d, current, on, tutor)) {
            return Optional.of(current);
        }
        Optional<AspectsVersion> same = best(d, current.major(), on, tutor).filter(v -> v.compareTo(current) > 0);
        if (same.isPresent()) {
            return same;
        }
        throw new PlanningException(ErrorKind.INCOMPATIBLE, "No Aspects version in the catalog may run on " + on.displayName()
                + " beside Tutor " + tutor + " as the next step from Aspects " + current + ": " + d.catalog.compatibility(current, on.name())
                .reason() + admitted(d, current, tutor).map(p -> "; " + p).orElse("") + ". Add the missing Aspects version with a "
                + "catalog overlay, or plan to a release Aspects " + current.major() + ".x supports first.");
    }

    /** @return whether a hop landing on that release with that Tutor finds an Aspects version to pair (see {@link #pairWithHop}) */
    static boolean canLand(Draft d, Release on, TutorVersion tutor) {
        AspectsVersion current = d.aspects.orElseThrow();
        return fits(d, current, on, tutor) || best(d, current.major(), on, tutor).isPresent()
                || current.major() < d.targetAspects.orElseThrow().major() && best(d, current.major() + 1, on, tutor).isPresent();
    }

    /** @return the best version of a major for that release and Tutor: the goal itself on its major, else the newest released */
    static Optional<AspectsVersion> best(Draft d, int major, Release on, TutorVersion tutor) {
        AspectsVersion goal = d.targetAspects.orElseThrow();
        if (major > goal.major()) {
            return Optional.empty();
        }
        if (major == goal.major() && fits(d, goal, on, tutor)) {
            return Optional.of(goal);
        }
        return d.catalog.aspectsReleases().stream()
                .filter(a -> a.version().major() == major && a.released() && a.version().compareTo(goal) <= 0)
                .filter(a -> fits(d, a.version(), on, tutor))
                .reduce((a, b) -> b).map(AspectsRelease::version);
    }

    /** Upgrades Aspects on the running release, without a platform hop, as far towards the target as it documents. */
    static void standalone(Draft d, AspectsVersion to) {
        Release on = d.release;
        AspectsVersion was = d.aspects.orElseThrow();
        String prefix = prefix(to);
        Draft.Slot backup = d.reserve(on, prefix + "-backup");
        List<String> covered = new ArrayList<>();
        String major = was.major() != to.major() ? " (major upgrade " + was.major() + ".x to " + to.major() + ".x: "
                + d.catalog.aspectsLine(to.major()).map(l -> "needs " + l.requirement() + ", documented for " + l.documentedRange()).orElse("")
                + ")" : "";
        d.add(d.command(on, prefix + "-install", StepKind.INSTALL).title("Install Aspects " + to)
                .command(List.of("pip", "install", PACKAGE + "==" + to))
                .rationale(DOC + ", step 1: install the plugin version" + major + ". " + d.catalog.compatibility(to, on.name()).reason() + ". "
                        + Pins.python(d, Map.of(PACKAGE, to.toString())))
                .estimate(d.est.of("install")).rollback("pip install " + PACKAGE + "==" + was + " and restore " + backup.id() + ".").build());
        d.aspects = Optional.of(to);
        d.installed(d.tutor, java.util.Map.of("aspects", to.toString()));
        d.add(d.command(on, prefix + "-config", StepKind.CONFIGURE).title("Remove old Superset assets and save the configuration")
                .command(List.of("rm", "-rf", SUPERSET_ASSETS)).command(d.cli().configSave())
                .rationale(DOC + ", steps 2-3: remove the existing Superset assets so no orphan assets are left behind, then save the configuration.")
                .estimate(d.est.of("configure")).rollback("Restore the Tutor root from " + backup.id() + ".").build());
        List<String> images = new ArrayList<>(List.of("openedx"));
        images.addAll(IMAGES);
        boolean mfe = inContextMetrics(d, on);
        if (mfe) {
            images.add("mfe");
        }
        ImageSteps.build(d, on, images, true, mfe ? "In-context metrics are on: the mfe image is rebuilt too (how-to, step 5)." : "");
        beforeInit(d, on, was, to);
        String initId = d.id(on, prefix + "-init");
        d.add(CommandStep.builder(initId, StepKind.ASPECTS_INIT, on.name()).title("Initialise Aspects " + to)
                .command(d.cli().job("init", List.of("-l", "aspects")).orElseThrow())
                .rationale(DOC + ", step 6: runs the ClickHouse migrations (alembic upgrade head) and the dbt models, then imports "
                        + "the Superset assets." + (was.major() < 2 && to.major() >= 2 ? " The 1.x to 2.x data migrations run here and "
                        + "may take long on big datasets: rehearse on a copy." : ""))
                .estimate(d.est.of("aspects.init")).rollback("Restore " + backup.id() + " (ClickHouse and MySQL) and reinstall Aspects " + was + ".")
                .migratesData(backup.id()).build());
        covered.add(initId);
        afterInit(d, on, was, to, backup.id(), covered, false);
        d.fill(backup, new BackupStep(backup.id(), on.name(), "Back up ClickHouse before Aspects " + to,
                List.of(BackupTarget.CLICKHOUSE, BackupTarget.MYSQL, BackupTarget.TUTOR_ROOT), covered,
                DOC + ": take a backup before beginning, especially a recent backup of ClickHouse. Covers "
                        + String.join(", ", covered) + "; kept until the whole upgrade is done. "
                        + BackupNotes.scope(d, List.of(BackupTarget.CLICKHOUSE)), d.est.of("backup")));
    }

    /** The table renames of a major upgrade, to review before init rebuilds the models. */
    static void beforeInit(Draft d, Release on, AspectsVersion was, AspectsVersion to) {
        List<TableRename> renames = new ArrayList<>();
        for (int m = was.major(); m < to.major(); m++) {
            renames.addAll(d.catalog.renames(m, m + 1));
        }
        if (renames.isEmpty()) {
            return;
        }
        List<String> items = new ArrayList<>();
        items.add("Update custom dbt models and Superset dataset SQL that reference these tables before init rebuilds the models "
                + "(arborist aspects rewrite does it for SQL files):");
        renames.forEach(r -> items.add(r.oldTable() + " -> " + r.newTable().orElse("DEPRECATED (no successor)")
                + (r.note().isEmpty() ? "" : " (" + r.note() + ")")));
        d.add(d.manual(on, prefix(to) + "-renames", StepKind.ASPECTS_RENAMES).title("Review custom SQL for Aspects table renames")
                .instructions(items).rationale(DOC + ", 'Upgrading v1.x to v2.x, Migrations': " + renames.size()
                        + " models were renamed or deprecated; custom models relying on the old names break.")
                .estimate(d.est.of("manual")).build());
    }

    /** The steps after Aspects' init: the version-specific data steps, the removal of deprecated models, the check. */
    static void afterInit(Draft d, Release on, AspectsVersion was, AspectsVersion to, String backupId, List<String> covered, boolean inHop) {
        String prefix = prefix(to);
        for (AspectsRelease crossed : d.catalog.aspectsReleases()) {
            if (crossed.version().compareTo(was) > 0 && crossed.version().compareTo(to) <= 0) {
                int n = 0;
                for (AspectsRelease.ExtraStep extra : crossed.extraSteps()) {
                    String id = d.id(on, prefix + "-extra-" + crossed.version().toString().replace('.', '-') + (n++ == 0 ? "" : "-" + n));
                    d.add(CommandStep.builder(id, StepKind.ASPECTS_MIGRATE, on.name()).title("Aspects " + crossed.version() + " data step")
                            .commands(DatastoreSteps.expand(d, extra.commands())).rationale(extra.summary() + " Source: " + DOC + ".")
                            .estimate(d.est.of("aspects.dbt")).rollback("Restore " + backupId + ".").migratesData(backupId).build());
                    covered.add(id);
                }
            }
        }
        if (to.compareTo(d.catalog.aspectsFacts().cleanupFrom()) >= 0) {
            String id = d.id(on, prefix + "-cleanup");
            d.add(CommandStep.builder(id, StepKind.ASPECTS_CLEANUP, on.name()).title("Remove deprecated Aspects models")
                    .command(d.cli().job("dbt", List.of("-c", "run-operation remove_deprecated_models", "--only_changed", "False")).orElseThrow())
                    .rationale(DOC + ", step 7: once the Superset assets are updated (the last step of init" + (inHop ? ", here part of "
                            + "the launch" : "") + ") the old models can and should be dropped. This drops tables: the backup must be "
                            + "verified first.")
                    .estimate(d.est.of("aspects.dbt")).rollback("Restore the ClickHouse backup " + backupId + ".").migratesData(backupId).build());
            covered.add(id);
        }
        d.add(d.command(on, prefix + "-check", StepKind.CHECK).title("Check Aspects " + to)
                .command(d.cli().job("alembic", List.of("-c", "current")).orElseThrow())
                .rationale("Expect the ClickHouse migrations at their head revision for Aspects " + to + ".")
                .estimate(d.est.of("check")).build());
    }

    private static String prefix(AspectsVersion to) {
        return "aspects-" + to.major() + "." + to.minor() + "." + to.patch();
    }
}
