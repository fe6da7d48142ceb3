package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.ActionKind;
import io.arborist.core.release.ActionPhase;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.PointRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.release.UpgradeAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One hop from a running release to the next stop: backup, operator migrations, install Tutor (with plugins and
 * Aspects at versions whose requirements admit it), enable the plugins whose images the hop needs, {@code config
 * save}, build or pull images, Tutor's {@code upgrade --from}, launch, reindex, checks. Each command comes from
 * {@link TutorCli} for the Tutor version installed at that point.
 */
final class HopSteps {
    private HopSteps() {
    }

    static void hop(Draft d, Release prev, Release next, PointRelease point, boolean last) {
        d.hops++;
        if (!last && d.from.customTheme() && !d.themeParked) {
            ThemeSteps.park(d, prev);
        }
        List<Release> releases = d.catalog.releases();
        List<Release> leaving = prev == next ? List.of() : releases.subList(releases.indexOf(prev), releases.indexOf(next));
        String tag = next.tag(point);
        TutorVersion tutor = last && !point.equals(next.newestPoint()) ? point.lastTutor().orElse(next.tutor().pin()) : next.tutor().pin();
        if (last && !point.shippedByTutor()) {
            d.warnings.add(tag + " was never pinned by a Tutor release; the plan installs Tutor " + tutor + ", which pins "
                    + next.tag(next.newestPoint()) + ".");
        }
        Optional<AspectsVersion> wasAspects = d.aspects;
        Optional<AspectsVersion> aspects = AspectsSteps.pairWithHop(d, next, tutor);
        boolean aspectsChanged = !aspects.equals(wasAspects);

        Draft.Slot backup = d.reserve(next, "backup");
        List<String> covered = new ArrayList<>();
        Set<BackupTarget> targets = new LinkedHashSet<>(List.of(BackupTarget.MYSQL, BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT));
        if (aspects.isPresent()) {
            targets.add(BackupTarget.CLICKHOUSE);
        }
        for (Release r : leaving) {
            r.leaving().forEach(a -> a.backups().forEach(b -> targets.add(target(b))));
        }
        DatastoreSteps.manualActions(d, leaving, ActionPhase.BEFORE_HOP, prev, next, backup.id(), covered);

        Pins.Install install = Pins.forHop(d, next, tutor, aspects);
        TutorVersion was = d.tutor;
        d.add(d.command(next, "install", StepKind.INSTALL).title("Install Tutor " + tutor + " for " + next.displayName())
                .command(install.argv())
                .rationale("Tutor " + tutor.major() + ".x deploys " + next.displayName() + "; " + tutor + " pins " + tag + ". "
                        + install.explanation())
                .estimate(d.est.of("install"))
                .rollback("pip install " + prev.tutor().pipPackage() + "==" + was + " and restore " + backup.id() + "'s Tutor root.").build());
        d.installed(tutor, install.plugins());
        d.release = next;
        d.aspects = aspects;

        List<String> images = images(d, next);
        enablePlugins(d, next, images);
        configSave(d, next, prev, leaving, backup.id(), aspectsChanged);
        if (last && d.themeParked) {
            ThemeSteps.restore(d, next);
        }
        ImageSteps.forHop(d, next, images, last, aspectsChanged);
        if (aspectsChanged) {
            AspectsSteps.beforeInit(d, next, wasAspects.orElseThrow(), aspects.orElseThrow());
        }

        List<UpgradeAction> upgradeWork = new ArrayList<>();
        List<UpgradeAction> implicit = new ArrayList<>();
        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.phase() == ActionPhase.UPGRADE) {
                    (a.performedBy(tutor) ? upgradeWork : implicit).add(a);
                }
            }
        }
        upgrade(d, prev, next, leaving, upgradeWork, backup.id(), covered);
        DatastoreSteps.manualActions(d, leaving, ActionPhase.BEFORE_LAUNCH, prev, next, backup.id(), covered);
        launch(d, prev, next, tag, leaving, upgradeWork, implicit, aspectsChanged, backup.id(), covered);
        DatastoreSteps.manualActions(d, leaving, ActionPhase.AFTER_LAUNCH, prev, next, backup.id(), covered);
        DatastoreSteps.advice(d, leaving, prev);
        if (last && d.from.customTheme()) {
            ThemeSteps.activate(d, next, releases.subList(releases.indexOf(prev), releases.indexOf(next) + 1));
        }
        if (aspectsChanged) {
            AspectsSteps.afterInit(d, next, wasAspects.orElseThrow(), aspects.orElseThrow(), backup.id(), covered, true);
        }
        CheckSteps.hop(d, next, tag);

        d.fill(backup, new BackupStep(backup.id(), next.name(), "Back up before the " + next.displayName() + " hop",
                List.copyOf(targets), covered,
                Draft.SEED + ": take a backup before every step that migrates data and keep it until the whole upgrade is done. "
                        + "Covers " + (covered.isEmpty() ? "no data-migrating step" : String.join(", ", covered)) + ". "
                        + BackupNotes.scope(d, targets),
                d.est.of("backup")));
    }

    /** The images this hop puts in place: the release's images, {@code openedx-dev} instead of {@code openedx} in dev mode. */
    private static List<String> images(Draft d, Release next) {
        return next.images().stream().map(i -> d.mode == DeploymentMode.DEV && i.equals("openedx") ? "openedx-dev" : i).toList();
    }

    /**
     * Enables the plugins that provide this hop's images (the mfe image comes from the mfe plugin): Tutor only knows a
     * plugin's image once the plugin is enabled ("Image 'mfe' could not be found"), and Tutor's own enabling of mfe in
     * {@code upgrade --from=lilac} comes after the build.
     */
    private static void enablePlugins(Draft d, Release next, List<String> images) {
        List<String> plugins = new ArrayList<>();
        for (String image : images) {
            d.upstream.providerOf(image, d.tutor).filter(p -> !d.enabledPlugins.containsKey(p.name()))
                    .ifPresent(p -> plugins.add(p.name()));
        }
        if (plugins.isEmpty()) {
            return;
        }
        d.add(d.command(next, "enable-plugins", StepKind.CONFIGURE).title("Enable the " + String.join(", ", plugins) + " plugin")
                .command(d.cli().pluginsEnable(plugins))
                .rationale("The " + String.join(", ", plugins) + " image comes from a plugin, which Tutor " + d.tutor + " only builds or "
                        + "pulls once the plugin is enabled; enabling it again is harmless.")
                .estimate(d.est.of("configure")).rollback("tutor plugins disable " + String.join(" ", plugins)).build());
        plugins.forEach(p -> d.enabledPlugins.put(p, d.installedPlugins.getOrDefault(p, "0")));
    }

    private static void configSave(Draft d, Release next, Release prev, List<Release> leaving, String backupId, boolean aspectsChanged) {
        boolean upgradeWork = leaving.stream().anyMatch(Release::hasUpgradeWork);
        CommandStep.Builder b = d.command(next, "config-save", StepKind.CONFIGURE).title("Regenerate the Tutor environment");
        String aspects = "";
        if (aspectsChanged) {
            b.command(List.of("rm", "-rf", AspectsSteps.SUPERSET_ASSETS));
            aspects = " The old Superset assets are removed first so none is left orphaned (" + AspectsSteps.DOC + ", step 2).";
        }
        b.command(d.cli().configSave());
        d.add(b.rationale("Renders " + next.displayName() + "'s configuration and Dockerfiles before the images are put in place. It "
                        + "also rewrites env/version, so a later 'launch' alone would skip Tutor's release-specific upgrade steps "
                        + "(Tutor docs/upgrading.rst)" + (upgradeWork ? "; the plan therefore runs 'upgrade --from=" + prev.name()
                        + "' explicitly." : "; leaving " + leaving.stream().map(Release::displayName).collect(Collectors.joining(", "))
                        + " needs no such step.") + aspects)
                .estimate(d.est.of("configure")).rollback("Restore the Tutor root from " + backupId + ".").build());
    }

    private static void upgrade(Draft d, Release prev, Release next, List<Release> leaving, List<UpgradeAction> work,
                                String backupId, List<String> covered) {
        if (work.isEmpty()) {
            return;
        }
        TutorCli cli = d.cli();
        DeploymentMode runIn = d.mode;
        List<List<String>> cmds = new ArrayList<>();
        String how = "";
        Optional<List<String>> upgrade = cli.upgrade(d.mode, prev.name().value());
        if (upgrade.isEmpty() && d.mode == DeploymentMode.DEV) {
            upgrade = cli.upgrade(DeploymentMode.LOCAL, prev.name().value());
            if (upgrade.isPresent()) {
                runIn = DeploymentMode.LOCAL;
                cmds.add(cli.stop(DeploymentMode.DEV));
                how = " Tutor " + d.tutor + " has no 'tutor dev upgrade'; the dev and local platforms share the data directory "
                        + "($(tutor config printroot)/data), so the dev platform is stopped and 'tutor local upgrade' runs the steps.";
            }
        }
        if (upgrade.isEmpty()) {
            String because = "Tutor " + d.tutor + "'s 'tutor " + d.mode.word() + " upgrade' does not accept --from=" + prev.name()
                    + " (its grammar at " + cli.grammarVersion() + "), so it never runs this step.";
            for (UpgradeAction a : work) {
                DatastoreSteps.manualDatastore(d, next, a, backupId, covered, because);
            }
            return;
        }
        cmds.add(upgrade.get());
        // Tutor's upgrade code may touch stored data even where the catalog's actions do not (on k8s it deletes the
        // deployments when leaving Lilac), so the step is always covered by the hop's backup.
        StringBuilder why = new StringBuilder("Runs Tutor's release-specific steps for leaving " + leaving.stream()
                .map(Release::displayName).collect(Collectors.joining(", ")) + ":");
        for (UpgradeAction a : work) {
            why.append(" [").append(a.summary());
            if (runIn == DeploymentMode.K8S && a.k8sManual()) {
                why.append(" On Kubernetes Tutor only prints this; see the manual step below.");
            }
            why.append("]");
        }
        why.append(" Sources: ").append(work.stream().map(UpgradeAction::source).distinct().collect(Collectors.joining("; "))).append('.').append(how);
        if (leaving.size() > 1) {
            why.append(" Tutor chains these steps itself (fall-through from --from=").append(prev.name()).append(").");
        }
        long datastoreSteps = work.stream().filter(a -> a.kind() == ActionKind.MONGODB || a.kind() == ActionKind.MYSQL).count();
        String id = d.id(next, "upgrade");
        d.add(CommandStep.builder(id, StepKind.UPGRADE, next.name()).title("Run Tutor's upgrade from " + prev.displayName())
                .commands(cmds).rationale(why.toString())
                .estimate(d.est.of("upgrade").plus(d.est.of("datastore").multipliedBy(datastoreSteps)))
                .rollback("Restore " + backupId + " (datastore upgrades cannot be reversed in place).")
                .migratesData(backupId).build());
        covered.add(id);
        if (runIn == DeploymentMode.K8S) {
            for (UpgradeAction a : work) {
                if (a.k8sManual()) {
                    DatastoreSteps.manualDatastore(d, next, a, backupId, covered,
                            "'tutor k8s upgrade' only prints this datastore step (tutor/commands/upgrade/k8s.py).");
                }
            }
        }
    }

    private static void launch(Draft d, Release prev, Release next, String tag, List<Release> leaving, List<UpgradeAction> work,
                               List<UpgradeAction> implicit, boolean aspectsChanged, String backupId, List<String> covered) {
        TutorCli cli = d.cli();
        List<List<String>> cmds = new ArrayList<>();
        Optional<List<String>> launch = cli.launch();
        if (launch.isPresent()) {
            cmds.add(launch.get());
        } else {
            cmds.add(cli.start());
            cmds.add(cli.job("init", List.of()).orElseThrow(() -> new IllegalStateException("Tutor " + d.tutor + " has no init job")));
        }
        StringBuilder why = new StringBuilder("Stops the platform, starts " + next.displayName() + " and runs its init jobs: "
                + "Django migrations of edx-platform (" + tag + ")");
        if (launch.isEmpty()) {
            why.append("; Tutor ").append(d.tutor).append(" has no 'tutor ").append(d.mode.word())
                    .append(" quickstart' or 'launch', so the platform is started and initialised");
        }
        if (work.isEmpty() && prev != next) {
            why.append("; Tutor has no release-specific upgrade step when leaving ")
                    .append(leaving.stream().map(Release::displayName).collect(Collectors.joining(", ")));
        }
        for (UpgradeAction a : implicit) {
            why.append("; ").append(a.implicitSummary().orElse(a.summary()));
        }
        for (Release r : leaving) {
            r.leaving().stream().filter(a -> a.kind() == ActionKind.TASK && a.phase() == ActionPhase.AFTER_LAUNCH)
                    .forEach(a -> why.append(". ").append(a.summary()));
        }
        if (d.aspects.isPresent()) {
            why.append(". With the Aspects plugin enabled the init jobs also run Aspects' ClickHouse migrations and dbt models")
                    .append(aspectsChanged ? " for the newly installed Aspects " + d.aspects.get() + ", after the platform's own "
                            + "migrations: " + AspectsSteps.DOC + " step 6 ('do init -l aspects') is part of this launch" : "");
        }
        why.append(d.mode == DeploymentMode.K8S ? ". On Kubernetes launch never builds images: they were built and pushed above, "
                + "or the cluster pulls the official ones." : ".");
        String id = d.id(next, "launch");
        d.add(CommandStep.builder(id, StepKind.LAUNCH, next.name()).title("Launch " + next.displayName()).commands(cmds)
                .rationale(why.toString()).estimate(d.est.of("launch"))
                .rollback("Restore " + backupId + ", reinstall " + prev.tutor().pipPackage() + "==" + prev.tutor().pin() + " and launch again.")
                .migratesData(backupId).build());
        covered.add(id);
    }

    private static BackupTarget target(Datastore store) {
        return switch (store) {
            case MYSQL -> BackupTarget.MYSQL;
            case MONGODB -> BackupTarget.MONGODB;
            case SEARCH -> BackupTarget.SEARCH_INDEX;
            case REDIS -> BackupTarget.TUTOR_ROOT;
        };
    }
}
