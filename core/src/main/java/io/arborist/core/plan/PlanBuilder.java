package io.arborist.core.plan;

import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.aspects.TableRename;
import io.arborist.core.release.ActionKind;
import io.arborist.core.release.ActionPhase;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.Estimates;
import io.arborist.core.release.PointRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.ReleaseName;
import io.arborist.core.release.ReleasePoint;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.release.UpgradeAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds one plan. Not thread-safe; one instance per call. */
final class PlanBuilder {
    private static final String PARKED = "${TUTOR_ROOT}/arborist-parked-themes";
    private static final String THEMES = "${TUTOR_ROOT}/env/build/openedx/themes";
    private static final String SEED = "Seed (Koa to Olive upgrade story)";
    private static final String ASPECTS_DOC = "Aspects upgrade how-to";

    private final ReleaseCatalog catalog;
    private final Installation from;
    private final Target requested;
    private final Strategy strategy;
    private final DeploymentMode mode;
    private final Estimates est;
    private final List<UpgradeStep> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Release> releases;

    private Release fromRelease;
    private PointRelease fromPoint;
    private Release toRelease;
    private PointRelease toPoint;
    private Optional<AspectsVersion> aspects = Optional.empty();
    private Optional<AspectsVersion> targetAspects = Optional.empty();
    private boolean themeParked;
    private int hops;

    /**
     * @param catalog the catalog to plan with
     * @param from the installation
     * @param to the target
     * @param options planner settings
     */
    public PlanBuilder(ReleaseCatalog catalog, Installation from, Target to, PlanOptions options) {
        this.catalog = catalog;
        this.from = from;
        this.requested = to;
        this.strategy = options.strategy();
        this.mode = from.mode();
        this.est = catalog.estimates();
        this.releases = catalog.releases();
    }

    /** @return the plan */
    public UpgradePlan build() {
        validate();
        prepare();
        Release position = fromRelease;
        upgradeAspectsWherePossible(position);
        if (toRelease.ordinal() == fromRelease.ordinal()) {
            if (!toPoint.equals(fromPoint)) {
                hop(fromRelease, fromRelease, toPoint);
            }
        } else {
            while (position.ordinal() < toRelease.ordinal()) {
                Release stop = nextStop(position);
                checkAspectsRuns(stop);
                hop(position, stop, stop == toRelease ? toPoint : stop.newestPoint());
                position = stop;
                upgradeAspectsWherePossible(position);
            }
        }
        if (aspects.isPresent() && !aspects.equals(targetAspects)) {
            aspectsUpgrade(toRelease, aspects.get(), targetAspects.orElseThrow());
        }
        verify();
        Target resolvedTarget = new Target(new ReleasePoint(toRelease.name(), toPoint.name()), targetAspects);
        return new UpgradePlan(from, resolvedTarget, strategy, List.copyOf(steps), List.copyOf(warnings), summary());
    }

    // ---------------------------------------------------------------- validation

    private void validate() {
        fromRelease = catalog.release(from.release().release());
        fromPoint = fromRelease.point(from.release().point()).orElseThrow(() -> unknownPoint(fromRelease, from.release().point()));
        toRelease = catalog.release(requested.release().release());
        toPoint = toRelease.point(requested.release().point()).orElseThrow(() -> unknownPoint(toRelease, requested.release().point()));
        from.tutor().ifPresent(t -> {
            if (t.major() != fromRelease.tutor().major()) {
                throw new PlanningException(ErrorKind.PLANNING, "Tutor " + t + " deploys " + catalog.releaseForTutor(t)
                        .map(Release::displayName).orElse("no known release") + ", not " + fromRelease.displayName()
                        + " (Tutor " + fromRelease.tutor().major() + ".x). Give the installed release or the installed Tutor version, consistently.");
            }
        });
        if (toRelease.ordinal() < fromRelease.ordinal()
                || toRelease == fromRelease && fromRelease.points().indexOf(toPoint) < fromRelease.points().indexOf(fromPoint)) {
            throw new PlanningException(ErrorKind.PLANNING, "Cannot plan a downgrade from " + tag(fromRelease, fromPoint) + " to "
                    + tag(toRelease, toPoint) + ": Tutor and Open edX do not support downgrades. To go back, restore the backups taken before the upgrade.");
        }
        for (int i = releases.indexOf(fromRelease); i < releases.indexOf(toRelease); i++) {
            Release a = releases.get(i);
            Release b = releases.get(i + 1);
            if (b.ordinal() != a.ordinal() + 1) {
                throw new PlanningException(ErrorKind.PLANNING, "The catalog has a gap between " + a.displayName() + " (ordinal "
                        + a.ordinal() + ") and " + b.displayName() + " (ordinal " + b.ordinal() + "): a release is missing, so no "
                        + "safe path can be planned. Add the missing release to the catalog with an overlay file.");
            }
        }
        validateAspects();
        if (toRelease == fromRelease && toPoint.equals(fromPoint) && aspects.equals(targetAspects)) {
            throw new PlanningException(ErrorKind.PLANNING, "Nothing to upgrade: the installation is already at " + tag(toRelease, toPoint)
                    + aspects.map(a -> " with Aspects " + a).orElse("") + ".");
        }
        from.datastores().forEach((store, version) -> fromRelease.datastores().version(store).ifPresent(def -> {
            if (!def.equals(version)) {
                warnings.add("You run " + store.name().toLowerCase(Locale.ROOT) + " " + version + " where " + fromRelease.displayName()
                        + "'s Tutor default is " + def + ": Tutor's datastore steps assume the defaults; check each datastore step by hand.");
            }
        }));
    }

    private void validateAspects() {
        Optional<AspectsSetup> current = from.aspects();
        if (current.isEmpty()) {
            if (requested.aspects().isPresent()) {
                throw new PlanningException(ErrorKind.PLANNING, "A target Aspects version (" + requested.aspects().get()
                        + ") was given but the installation has no Aspects. State the installed Aspects version, or drop the target "
                        + "(installing Aspects is not an upgrade).");
            }
            return;
        }
        AspectsVersion installed = current.get().version();
        if (catalog.aspectsLine(installed.major()).isEmpty()) {
            throw new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown Aspects line " + installed.major() + ".x (installed "
                    + installed + "). Known lines: " + catalog.aspectsLines().stream().map(l -> l.major() + ".x").collect(Collectors.joining(", ")) + ".");
        }
        CompatibilityVerdict now = catalog.compatibility(installed, fromRelease.name());
        if (!now.supported()) {
            warnings.add("The installed Aspects " + installed + " is outside its documented range on " + fromRelease.displayName()
                    + ": " + now.reason() + ".");
        }
        aspects = Optional.of(installed);
        AspectsVersion goal;
        if (requested.aspects().isPresent()) {
            goal = requested.aspects().get();
            if (catalog.aspectsRelease(goal).isEmpty()) {
                throw new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown Aspects version '" + goal + "'. Known versions: "
                        + catalog.aspectsReleases().stream().map(a -> a.version().toString()).collect(Collectors.joining(", ")) + ".");
            }
        } else {
            goal = defaultAspects();
        }
        if (goal.compareTo(installed) < 0) {
            throw new PlanningException(ErrorKind.PLANNING, "Cannot plan an Aspects downgrade from " + installed + " to " + goal
                    + ". To go back, restore the ClickHouse and MySQL backups taken before the Aspects upgrade.");
        }
        CompatibilityVerdict atTarget = catalog.compatibility(goal, toRelease.name());
        if (!atTarget.supported()) {
            throw new PlanningException(ErrorKind.INCOMPATIBLE, "Aspects " + goal + " does not support " + toRelease.displayName()
                    + ": " + atTarget.reason() + ". " + suggestAspects(toRelease));
        }
        catalog.aspectsRelease(goal).filter(a -> !a.released()).ifPresent(a -> warnings.add("Aspects " + goal
                + " is announced but was not tagged when the catalog was compiled: check that it exists before its step."));
        targetAspects = Optional.of(goal);
    }

    private AspectsVersion defaultAspects() {
        List<AspectsRelease> documented = catalog.aspectsReleases().stream()
                .filter(a -> catalog.compatibility(a.version(), toRelease.name()).supported()).toList();
        Optional<AspectsRelease> pick = documented.stream().filter(AspectsRelease::released).reduce((a, b) -> b)
                .or(() -> documented.stream().reduce((a, b) -> b));
        if (pick.isEmpty()) {
            throw new PlanningException(ErrorKind.INCOMPATIBLE, "No Aspects version in the catalog is documented for "
                    + toRelease.displayName() + ". Add one with a catalog overlay, or target another release.");
        }
        return pick.get().version();
    }

    private String suggestAspects(Release release) {
        return catalog.aspectsLines().stream()
                .filter(l -> catalog.compatibility(new AspectsVersion(l.major(), 0, 0), release.name()).supported())
                .findFirst()
                .map(l -> "Choose Aspects " + l.major() + ".x for " + release.displayName() + ", or target a release in "
                        + catalog.aspectsLine(requested.aspects().map(AspectsVersion::major).orElse(l.major()))
                        .map(AspectsLine::documentedRange).orElse("its range") + ".")
                .orElse("No Aspects line in the catalog is documented for " + release.displayName() + ".");
    }

    private static PlanningException unknownPoint(Release r, String point) {
        return new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown point release '" + r.name() + "." + point + "': "
                + r.displayName() + " has points " + r.points().stream().map(p -> r.name() + "." + p.name())
                .collect(Collectors.joining(", ")) + ".");
    }

    // ---------------------------------------------------------------- path

    private Release nextStop(Release position) {
        int start = releases.indexOf(position);
        if (strategy == Strategy.STEPWISE) {
            return releases.get(start + 1);
        }
        int target = releases.indexOf(toRelease);
        int stop = target;
        for (int i = start; i < target; i++) {
            for (UpgradeAction a : releases.get(i).leaving()) {
                if (a.required() && a.availableFrom().isPresent()) {
                    int available = releases.indexOf(catalog.release(a.availableFrom().get()));
                    if (available > start) {
                        stop = Math.min(stop, available);
                    }
                }
            }
        }
        if (aspects.isPresent() && targetAspects.isPresent() && aspects.get().major() < targetAspects.get().major()) {
            int nextMajor = aspects.get().major() + 1;
            for (int i = start + 1; i <= target; i++) {
                if (bestAspects(nextMajor, releases.get(i)).isPresent()) {
                    stop = Math.min(stop, i);
                    break;
                }
            }
        }
        if (aspects.isPresent()) {
            for (int i = start + 1; i <= stop; i++) {
                if (!catalog.compatibility(aspects.get(), releases.get(i).name()).runs()) {
                    stop = Math.max(start + 1, i - 1);
                    break;
                }
            }
        }
        return releases.get(stop);
    }

    private void checkAspectsRuns(Release stop) {
        if (aspects.isEmpty()) {
            return;
        }
        CompatibilityVerdict v = catalog.compatibility(aspects.get(), stop.name());
        if (!v.runs()) {
            throw new PlanningException(ErrorKind.INCOMPATIBLE, "Aspects " + aspects.get() + " would have to run on "
                    + stop.displayName() + " (" + v.reason() + "), and no release before it lets the plan upgrade Aspects first. "
                    + "The catalog lacks a compatible path; correct the Aspects ranges with an overlay file.");
        }
    }

    // ---------------------------------------------------------------- steps

    private void prepare() {
        List<String> items = new ArrayList<>();
        List<Release> crossed = releases.subList(releases.indexOf(fromRelease), releases.indexOf(toRelease) + 1);
        items.add("Read the release notes of every release on the way: " + crossed.stream().skip(1).map(Release::displayName)
                .collect(Collectors.joining(", ")) + (crossed.size() == 1 ? toRelease.displayName() : "") + ".");
        for (Release r : crossed.subList(1, crossed.size())) {
            r.notes().forEach(n -> items.add(r.displayName() + ": " + n));
        }
        items.add("Check the SMTP settings (SMTP_HOST, SMTP_PORT, SMTP_USE_TLS, SMTP_USE_SSL, SMTP_USERNAME): a mismatch breaks tests and sends you the wrong way.");
        items.add("Check the database settings (RUN_MYSQL, MYSQL_HOST, MYSQL_PORT, RUN_MONGODB, MONGODB_HOST): with an external database, every datastore step below is yours to run.");
        items.add("Check the domain names (LMS_HOST, CMS_HOST, ENABLE_HTTPS) and their DNS records.");
        items.add("List the feature switches you turned on or off (FEATURES patches, waffle flags and switches) and re-check them after each hop.");
        items.add("List the installed plugins (tutor plugins list) and find a version of each for every Tutor major on the way.");
        items.add("Free disk space for image builds and backups (a MongoDB restore needs about three times the database size).");
        items.add("Rehearse the whole plan on a staging copy first; keep this to-do list in the change ticket.");
        List<List<String>> cmds = new ArrayList<>();
        for (String key : List.of("LMS_HOST", "CMS_HOST", "ENABLE_HTTPS", "SMTP_HOST", "SMTP_PORT", "RUN_MYSQL", "MYSQL_HOST",
                "RUN_MONGODB", "MONGODB_HOST")) {
            cmds.add(List.of("tutor", "config", "printvalue", key));
        }
        cmds.add(List.of("tutor", "plugins", "list"));
        steps.add(new ManualStep(id(fromRelease, "prepare"), StepKind.PREPARE, fromRelease.name(),
                "Prepare: record settings and read release notes", items, cmds,
                SEED + ": prepare a to-do list first; check SMTP, database, domain and feature-switch settings, since an "
                        + "incompatible setting causes errors in tests and progress in the wrong direction.",
                est.of("prepare"), Optional.empty(), false, Optional.empty()));
    }

    private void parkTheme(Release current) {
        String why = SEED + ": intermediate releases need not be compatible with your theme; leave it out of every "
                + "build but the last to save build time.";
        if (from.themeName().isPresent()) {
            String name = from.themeName().get();
            steps.add(new CommandStep(id(current, "park-theme"), StepKind.THEME, current.name(), "Set the custom theme aside",
                    List.of(List.of("mkdir", "-p", PARKED), List.of("mv", THEMES + "/" + name, PARKED + "/" + name)), why,
                    est.of("theme"), Optional.of("mv " + PARKED + "/" + name + " " + THEMES + "/" + name),
                    false, Optional.empty()));
        } else {
            steps.add(new ManualStep(id(current, "park-theme"), StepKind.THEME, current.name(), "Set the custom theme aside",
                    List.of("Move your theme directory out of " + THEMES + " (for example to " + PARKED + ")."),
                    List.of(), why, est.of("theme"), Optional.of("Move the theme directory back."), false, Optional.empty()));
        }
        themeParked = true;
    }

    private void hop(Release prev, Release next, PointRelease point) {
        hops++;
        boolean last = next == toRelease;
        if (!last && from.customTheme() && !themeParked) {
            parkTheme(prev);
        }
        ReleaseName rel = next.name();
        List<Release> leaving = prev == next ? List.of() : releases.subList(releases.indexOf(prev), releases.indexOf(next));
        String tag = tag(next, point);
        TutorVersion tutorVersion = last && !point.equals(next.newestPoint()) ? point.lastTutor().orElse(next.tutor().pin()) : next.tutor().pin();
        if (last && !point.shippedByTutor()) {
            warnings.add(tag + " was never pinned by a Tutor release; the plan installs Tutor " + tutorVersion
                    + ", which pins " + tag(next, next.newestPoint()) + ".");
        }
        String backupId = id(next, "backup");
        int backupIndex = reserve();
        List<String> covered = new ArrayList<>();
        Set<BackupTarget> targets = new LinkedHashSet<>(List.of(BackupTarget.MYSQL, BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT));
        if (aspects.isPresent()) {
            targets.add(BackupTarget.CLICKHOUSE);
        }

        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.phase() == ActionPhase.BEFORE_HOP) {
                    actionStep(r, next, a, prev, backupId, covered);
                }
                a.backups().forEach(b -> targets.add(toTarget(b)));
            }
        }

        // install
        List<String> pip = new ArrayList<>(List.of("pip", "install", next.tutor().pipPackage() + "==" + tutorVersion));
        int major = next.tutor().major();
        if (!next.tutor().pipPackage().contains("[full]") && next.images().contains("mfe")) {
            pip.add(range("tutor-mfe", major));
        }
        for (String p : from.plugins()) {
            pip.add(range(p.startsWith("tutor-") ? p : "tutor-" + p, major));
        }
        aspects.ifPresent(a -> pip.add("tutor-contrib-aspects==" + a));
        String pluginNote = from.plugins().isEmpty() ? "" : " Extra plugins are pinned to major " + major
                + " on the assumption that they follow Tutor's versioning like the official ones; check each.";
        String aspectsNote = aspects.map(a -> " Aspects stays pinned at " + a + " so pip does not move it as a side effect.").orElse("");
        steps.add(new CommandStep(id(next, "install"), StepKind.INSTALL, rel, "Install Tutor " + tutorVersion + " for " + next.displayName(),
                List.of(pip), "Tutor " + major + ".x deploys " + next.displayName() + "; " + tutorVersion + " pins " + tag
                + ". Needs Python " + next.tutor().hostPython() + " or later on the host." + pluginNote + aspectsNote,
                est.of("install"), Optional.of("pip install " + prev.tutor().pipRequirement() + " and restore " + backupId + "'s Tutor root."),
                false, Optional.empty()));

        // config save
        steps.add(new CommandStep(id(next, "config-save"), StepKind.CONFIGURE, rel, "Regenerate the Tutor environment",
                List.of(List.of("tutor", "config", "save")),
                "Renders " + next.displayName() + "'s configuration and Dockerfiles before the build. It also rewrites env/version, "
                        + "so a later 'launch' alone would skip Tutor's release-specific upgrade steps (Tutor docs/upgrading.rst); "
                        + "the plan therefore runs 'upgrade --from=" + prev.name() + "' explicitly.",
                est.of("configure"), Optional.of("Restore the Tutor root from " + backupId + "."), false, Optional.empty()));

        if (last && themeParked) {
            restoreTheme(next);
        }

        // build
        List<String> images = new ArrayList<>();
        for (String image : next.images()) {
            images.add(mode == DeploymentMode.DEV && image.equals("openedx") ? "openedx-dev" : image);
        }
        buildStep(next, images, false, last && from.customTheme()
                ? "Last hop: the build includes your custom theme (" + SEED + ")."
                : from.customTheme() ? "Intermediate hop: the custom theme stays out of this build to save time (" + SEED + ")." : "");

        // upgrade --from
        List<UpgradeAction> upgradeWork = new ArrayList<>();
        for (Release r : leaving) {
            r.leaving().stream().filter(a -> a.phase() == ActionPhase.UPGRADE).forEach(upgradeWork::add);
        }
        if (!upgradeWork.isEmpty()) {
            boolean migrates = upgradeWork.stream().anyMatch(UpgradeAction::migratesData);
            String id = id(next, "upgrade");
            StringBuilder why = new StringBuilder("Runs Tutor's release-specific steps for leaving " + leaving.stream()
                    .map(Release::displayName).collect(Collectors.joining(", ")) + ":");
            for (UpgradeAction a : upgradeWork) {
                why.append(" [").append(a.summary());
                if (mode == DeploymentMode.K8S && a.k8sManual()) {
                    why.append(" On Kubernetes Tutor only prints this; see the manual step below.");
                }
                why.append("]");
            }
            why.append(" Source: ").append(upgradeWork.get(0).source()).append('.');
            if (leaving.size() > 1) {
                why.append(" Tutor chains these steps itself (fall-through from --from=").append(prev.name()).append(").");
            }
            long datastoreSteps = upgradeWork.stream().filter(a -> a.kind() == ActionKind.MONGODB || a.kind() == ActionKind.MYSQL).count();
            steps.add(new CommandStep(id, StepKind.UPGRADE, rel, "Run Tutor's upgrade from " + prev.displayName(),
                    List.of(List.of("tutor", mode.word(), "upgrade", "--from=" + prev.name())), why.toString(),
                    est.of("upgrade").plus(est.of("datastore").multipliedBy(datastoreSteps)),
                    Optional.of("Restore " + backupId + " (datastore upgrades cannot be reversed in place)."), migrates,
                    migrates ? Optional.of(backupId) : Optional.empty()));
            if (migrates) {
                covered.add(id);
            }
            if (mode == DeploymentMode.K8S) {
                for (UpgradeAction a : upgradeWork) {
                    if (a.k8sManual()) {
                        k8sManualDatastore(next, a, backupId, covered);
                    }
                }
            }
        }

        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.phase() == ActionPhase.BEFORE_LAUNCH) {
                    actionStep(r, next, a, prev, backupId, covered);
                }
            }
        }

        // launch
        String launchId = id(next, "launch");
        List<String> launch = new ArrayList<>(List.of("tutor", mode.word(), next.tutor().launchVerb(), "-I"));
        StringBuilder why = new StringBuilder("Stops the platform, starts " + next.displayName() + " and runs its init jobs: "
                + "Django migrations of edx-platform (" + tag + ")");
        if (upgradeWork.isEmpty() && prev != next) {
            why.append("; Tutor has no release-specific upgrade step when leaving ").append(leaving.stream().map(Release::displayName)
                    .collect(Collectors.joining(", ")));
        }
        for (Release r : leaving) {
            r.leaving().stream().filter(a -> a.kind() == ActionKind.TASK && a.phase() == ActionPhase.AFTER_LAUNCH)
                    .forEach(a -> why.append(". ").append(a.summary()));
        }
        why.append(mode == DeploymentMode.K8S ? ". On Kubernetes launch never builds images: they were built and pushed above." : ".");
        steps.add(new CommandStep(launchId, StepKind.LAUNCH, rel, "Launch " + next.displayName(), List.of(launch), why.toString(),
                est.of("launch"), Optional.of("Restore " + backupId + ", reinstall " + prev.tutor().pipRequirement() + " and launch again."),
                true, Optional.of(backupId)));
        covered.add(launchId);

        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.phase() == ActionPhase.AFTER_LAUNCH) {
                    actionStep(r, next, a, prev, backupId, covered);
                }
            }
        }
        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.kind() == ActionKind.ADVICE) {
                    advice(r, prev, a);
                }
            }
        }

        if (last && from.customTheme()) {
            activateTheme(next);
        }
        steps.add(new CommandStep(id(next, "check"), StepKind.CHECK, rel, "Check " + next.displayName(),
                List.of(List.of("tutor", "config", "printvalue", "OPENEDX_COMMON_VERSION"),
                        List.of("tutor", mode.word(), runVerb(), "lms", "./manage.py", "lms", "check")),
                "Expect OPENEDX_COMMON_VERSION to be " + tag + " and Django's system check to pass before the next step "
                        + "(one hop at a time, each verified: " + SEED + ").",
                est.of("check"), Optional.empty(), false, Optional.empty()));

        steps.set(backupIndex, new BackupStep(backupId, rel, "Back up before the " + next.displayName() + " hop",
                List.copyOf(targets), covered,
                SEED + ": take a backup before every step that migrates data and keep it until the whole upgrade is done. "
                        + "Covers " + (covered.isEmpty() ? "no data-migrating step" : String.join(", ", covered)) + ".",
                est.of("backup")));
    }

    private void actionStep(Release owner, Release next, UpgradeAction a, Release prev, String backupId, List<String> covered) {
        if (a.kind() != ActionKind.MANUAL) {
            return;
        }
        a.availableFrom().ifPresent(f -> {
            if (catalog.release(f).ordinal() > prev.ordinal()) {
                throw new PlanningException(ErrorKind.PLANNING, "'" + a.id() + "' must run on " + f.displayName()
                        + " or later but the hop leaves " + prev.displayName() + ": the catalog's stops are inconsistent.");
            }
        });
        StepKind kind = switch (a.phase()) {
            case BEFORE_HOP -> StepKind.MIGRATE;
            case BEFORE_LAUNCH -> StepKind.DATASTORE;
            default -> StepKind.REINDEX;
        };
        Release owner2 = a.phase() == ActionPhase.BEFORE_HOP ? prev : next;
        ReleaseName rel = owner2.name();
        String id = id(owner2, a.id());
        List<List<String>> cmds = substitute(mode == DeploymentMode.K8S && a.k8sCommands().isPresent() ? a.k8sCommands().get() : a.commands());
        String why = a.summary() + " Source: " + a.source() + ".";
        Duration d = est.of(kind == StepKind.MIGRATE ? "migrate" : kind == StepKind.REINDEX ? "reindex" : "datastore");
        Optional<String> cover = a.migratesData() ? Optional.of(backupId) : Optional.empty();
        if (cmds.isEmpty()) {
            steps.add(new ManualStep(id, kind, rel, title(a), List.of(a.summary(), "Tutor gives no " + mode.word()
                    + " recipe for this; do the equivalent on your deployment and confirm."), List.of(), why, d, a.rollback(),
                    a.migratesData(), cover));
        } else {
            steps.add(new CommandStep(id, kind, rel, title(a), cmds, why, d, a.rollback(), a.migratesData(), cover));
        }
        if (a.migratesData()) {
            covered.add(id);
        }
    }

    private void advice(Release owner, Release prev, UpgradeAction a) {
        boolean satisfied = a.availableFrom().map(f -> catalog.release(f).ordinal() <= prev.ordinal() && prev == owner).orElse(false);
        if (!satisfied) {
            warnings.add("Leaving " + owner.displayName() + ": " + a.summary() + " (" + a.source() + ")");
        }
    }

    private void k8sManualDatastore(Release next, UpgradeAction a, String backupId, List<String> covered) {
        List<List<String>> cmds;
        if (a.k8sCommands().isPresent()) {
            cmds = substitute(a.k8sCommands().get());
        } else if (a.kind() == ActionKind.MONGODB) {
            String image = a.image().orElseThrow();
            String fcv = a.featureCompatibility().orElseThrow();
            int major = Integer.parseInt(fcv.substring(0, fcv.indexOf('.')));
            String shell = major >= 6 ? "mongosh" : "mongo";
            String command = "db.adminCommand({setFeatureCompatibilityVersion: \"" + fcv + "\"" + (major >= 7 ? ", confirm: true" : "") + "})";
            cmds = List.of(List.of("tutor", "k8s", "stop"),
                    List.of("tutor", "config", "save", "--set", "DOCKER_IMAGE_MONGODB=" + image),
                    List.of("tutor", "k8s", "start"),
                    List.of("tutor", "k8s", "exec", "mongodb", shell, "--eval", command),
                    List.of("tutor", "config", "save", "--unset", "DOCKER_IMAGE_MONGODB"));
        } else {
            cmds = substitute(a.commands());
        }
        String id = id(next, a.id());
        steps.add(new ManualStep(id, StepKind.DATASTORE, next.name(), title(a),
                List.of(a.summary(), "Tutor prints these commands on Kubernetes instead of running them: run them in order and "
                        + "wait for each pod to be ready."),
                cmds, "'tutor k8s upgrade' does not run this datastore step (tutor/commands/upgrade/k8s.py); skipping it leaves "
                + "the datastore unable to start on the next release. Source: " + a.source() + ".",
                est.of("datastore"), a.rollback(), true, Optional.of(backupId)));
        covered.add(id);
    }

    private void buildStep(Release release, List<String> images, boolean noCache, String note) {
        List<List<String>> cmds = new ArrayList<>();
        List<String> build = new ArrayList<>(List.of("tutor", "images", "build"));
        build.addAll(images);
        if (noCache) {
            build.add("--no-cache");
        }
        cmds.add(build);
        Duration d = Duration.ZERO;
        for (String image : images) {
            d = d.plus(est.build(image));
        }
        if (mode == DeploymentMode.K8S) {
            List<String> push = new ArrayList<>(List.of("tutor", "images", "push"));
            push.addAll(images);
            cmds.add(push);
            d = d.plus(est.of("push"));
        }
        String why = "The Dockerfiles change from one release to the next, so the build cache rarely helps and images are rebuilt"
                + (noCache ? " without cache, as the Aspects upgrade how-to requires" : "") + "."
                + (mode == DeploymentMode.K8S ? " Kubernetes pulls images from a registry, so they are pushed too." : "")
                + (note.isEmpty() ? "" : " " + note);
        steps.add(new CommandStep(id(release, noCache ? "aspects-build" : "build-images"), StepKind.BUILD_IMAGES, release.name(),
                "Build " + String.join(", ", images) + " images", cmds, why, d, Optional.empty(), false, Optional.empty()));
    }

    private void restoreTheme(Release next) {
        String why = "Last hop: put the custom theme back so that the final build includes it (" + SEED + ").";
        if (from.themeName().isPresent()) {
            String name = from.themeName().get();
            steps.add(new CommandStep(id(next, "restore-theme"), StepKind.THEME, next.name(), "Put the custom theme back",
                    List.of(List.of("mkdir", "-p", THEMES), List.of("mv", PARKED + "/" + name, THEMES + "/" + name)), why,
                    est.of("theme"), Optional.empty(), false, Optional.empty()));
        } else {
            steps.add(new ManualStep(id(next, "restore-theme"), StepKind.THEME, next.name(), "Put the custom theme back",
                    List.of("Move your theme directory back into " + THEMES + ", updated for " + next.displayName() + "."),
                    List.of(), why, est.of("theme"), Optional.empty(), false, Optional.empty()));
        }
    }

    private void activateTheme(Release next) {
        String why = "Themes are baked into the openedx image and activated per site with 'do settheme' (Tutor docs, themes).";
        List<String> settheme = next.tutor().doJobs()
                ? new ArrayList<>(List.of("tutor", mode.word(), "do", "settheme"))
                : new ArrayList<>(List.of("tutor", mode.word(), "settheme"));
        if (from.themeName().isPresent()) {
            settheme.add(from.themeName().get());
            steps.add(new CommandStep(id(next, "settheme"), StepKind.THEME, next.name(), "Activate the custom theme",
                    List.of(settheme), why, est.of("theme"), Optional.empty(), false, Optional.empty()));
        } else {
            steps.add(new ManualStep(id(next, "settheme"), StepKind.THEME, next.name(), "Activate the custom theme",
                    List.of("Run '" + String.join(" ", settheme) + " <your-theme>' and check the pages it styles."
                            + (next.ordinal() >= 22 ? " From Ulmo, MFEs use design tokens instead of the old theming." : "")),
                    List.of(), why, est.of("theme"), Optional.empty(), false, Optional.empty()));
        }
    }

    // ---------------------------------------------------------------- Aspects

    private void upgradeAspectsWherePossible(Release position) {
        while (aspects.isPresent() && aspects.get().major() < targetAspects.orElseThrow().major()) {
            Optional<AspectsVersion> next = bestAspects(aspects.get().major() + 1, position);
            if (next.isEmpty()) {
                return;
            }
            aspectsUpgrade(position, aspects.get(), next.get());
        }
    }

    private Optional<AspectsVersion> bestAspects(int major, Release on) {
        AspectsVersion goal = targetAspects.orElseThrow();
        if (major == goal.major() && catalog.compatibility(goal, on.name()).supported()) {
            return Optional.of(goal);
        }
        if (major >= goal.major()) {
            return Optional.empty();
        }
        return catalog.aspectsReleases().stream()
                .filter(a -> a.version().major() == major && a.released())
                .filter(a -> catalog.compatibility(a.version(), on.name()).supported())
                .reduce((a, b) -> b).map(AspectsRelease::version);
    }

    private void aspectsUpgrade(Release on, AspectsVersion was, AspectsVersion to) {
        CompatibilityVerdict verdict = catalog.compatibility(to, on.name());
        if (!verdict.supported()) {
            throw new PlanningException(ErrorKind.INCOMPATIBLE, "Aspects " + to + " cannot be installed on " + on.displayName()
                    + ": " + verdict.reason() + ".");
        }
        ReleaseName rel = on.name();
        String prefix = "aspects-" + to.major() + "." + to.minor() + "." + to.patch();
        String backupId = id(on, prefix + "-backup");
        int backupIndex = reserve();
        List<String> covered = new ArrayList<>();
        String major = was.major() != to.major() ? " (major upgrade " + was.major() + ".x to " + to.major() + ".x: "
                + catalog.aspectsLine(to.major()).map(l -> "needs " + l.requirement() + ", documented for " + l.documentedRange()).orElse("") + ")" : "";
        steps.add(new CommandStep(id(on, prefix + "-install"), StepKind.INSTALL, rel, "Install Aspects " + to,
                List.of(List.of("pip", "install", "tutor-contrib-aspects==" + to)),
                ASPECTS_DOC + ", step 1: install the plugin version" + major + ". " + verdict.reason() + ".",
                est.of("install"), Optional.of("pip install tutor-contrib-aspects==" + was + " and restore " + backupId + "."),
                false, Optional.empty()));
        steps.add(new CommandStep(id(on, prefix + "-config"), StepKind.CONFIGURE, rel, "Remove old Superset assets and save the configuration",
                List.of(List.of("rm", "-rf", "${TUTOR_ROOT}/env/plugins/aspects/build/aspects-superset/openedx-assets/assets"),
                        List.of("tutor", "config", "save")),
                ASPECTS_DOC + ", steps 2-3: remove the existing Superset assets so no orphan assets are left behind, then save the configuration.",
                est.of("configure"), Optional.of("Restore the Tutor root from " + backupId + "."), false, Optional.empty()));
        List<String> images = new ArrayList<>(List.of("openedx", "aspects", "aspects-superset"));
        boolean mfe = from.aspects().map(AspectsSetup::inContextMetrics).orElse(false) && on.ordinal() >= catalog.release(ReleaseName.of("teak")).ordinal();
        if (mfe) {
            images.add("mfe");
        }
        buildStep(on, images, true, mfe ? "In-context metrics are on (Teak and later): the mfe image is rebuilt too (how-to, step 5)." : "");
        List<TableRename> renames = was.major() != to.major() ? renamesBetween(was.major(), to.major()) : List.of();
        if (!renames.isEmpty()) {
            List<String> items = new ArrayList<>();
            items.add("Update custom dbt models and Superset dataset SQL that reference these tables before init rebuilds the models:");
            renames.forEach(r -> items.add(r.oldTable() + " -> " + r.newTable().orElse("DEPRECATED (no successor)")
                    + (r.note().isEmpty() ? "" : " (" + r.note() + ")")));
            steps.add(new ManualStep(id(on, prefix + "-renames"), StepKind.ASPECTS_RENAMES, rel, "Review custom SQL for Aspects table renames",
                    items, List.of(), ASPECTS_DOC + ", 'Upgrading v1.x to v2.x, Migrations': " + renames.size()
                    + " models were renamed or deprecated; custom models relying on the old names break.",
                    est.of("manual"), Optional.empty(), false, Optional.empty()));
        }
        String initId = id(on, prefix + "-init");
        steps.add(new CommandStep(initId, StepKind.ASPECTS_INIT, rel, "Initialise Aspects " + to,
                List.of(List.of("tutor", mode.word(), "do", "init", "-l", "aspects")),
                ASPECTS_DOC + ", step 6: runs the ClickHouse migrations (alembic upgrade head) and the dbt models, then imports "
                        + "the Superset assets." + (was.major() < 2 && to.major() >= 2 ? " The 1.x to 2.x data migrations run here and may take long on big datasets: rehearse on a copy." : ""),
                est.of("aspects.init"), Optional.of("Restore " + backupId + " (ClickHouse and MySQL) and reinstall Aspects " + was + "."),
                true, Optional.of(backupId)));
        covered.add(initId);
        for (AspectsRelease crossed : catalog.aspectsReleases()) {
            if (crossed.version().compareTo(was) > 0 && crossed.version().compareTo(to) <= 0) {
                int n = 0;
                for (var extra : crossed.extraSteps()) {
                    String id = id(on, prefix + "-extra-" + crossed.version().toString().replace('.', '-') + (n++ == 0 ? "" : "-" + n));
                    steps.add(new CommandStep(id, StepKind.ASPECTS_MIGRATE, rel, "Aspects " + crossed.version() + " data step",
                            substitute(extra.commands()), extra.summary() + " Source: " + ASPECTS_DOC + ".", est.of("aspects.dbt"),
                            Optional.of("Restore " + backupId + "."), true, Optional.of(backupId)));
                    covered.add(id);
                }
            }
        }
        if (to.compareTo(new AspectsVersion(1, 2, 0)) >= 0) {
            String id = id(on, prefix + "-cleanup");
            steps.add(new CommandStep(id, StepKind.ASPECTS_CLEANUP, rel, "Remove deprecated Aspects models",
                    List.of(List.of("tutor", mode.word(), "do", "dbt", "-c", "run-operation remove_deprecated_models", "--only_changed", "False")),
                    ASPECTS_DOC + ", step 7: once the Superset assets are updated (the last step of init) the old models can and "
                            + "should be dropped. This drops tables: the backup must be verified first.",
                    est.of("aspects.dbt"), Optional.of("Restore the ClickHouse backup " + backupId + "."), true, Optional.of(backupId)));
            covered.add(id);
        }
        steps.add(new CommandStep(id(on, prefix + "-check"), StepKind.CHECK, rel, "Check Aspects " + to,
                List.of(List.of("tutor", mode.word(), "do", "alembic", "-c", "current")),
                "Expect the ClickHouse migrations at their head revision for Aspects " + to + ".", est.of("check"),
                Optional.empty(), false, Optional.empty()));
        steps.set(backupIndex, new BackupStep(backupId, rel, "Back up ClickHouse before Aspects " + to,
                List.of(BackupTarget.CLICKHOUSE, BackupTarget.MYSQL, BackupTarget.TUTOR_ROOT), covered,
                ASPECTS_DOC + ": take a backup before beginning, especially a recent backup of ClickHouse. Covers "
                        + String.join(", ", covered) + "; kept until the whole upgrade is done.", est.of("backup")));
        aspects = Optional.of(to);
    }

    private List<TableRename> renamesBetween(int fromMajor, int toMajor) {
        List<TableRename> out = new ArrayList<>();
        for (int m = fromMajor; m < toMajor; m++) {
            out.addAll(catalog.renames(m, m + 1));
        }
        return out;
    }

    private void verify() {
        List<String> backups = steps.stream().filter(s -> s instanceof BackupStep).map(UpgradeStep::id).toList();
        steps.add(new ManualStep(id(toRelease, "verify"), StepKind.VERIFY, toRelease.name(), "Confirm no data was lost",
                List.of("Compare before and after: certificates learners are entitled to (per course and status), course completion "
                                + "rates, persistent grades and passes, enrollments per course and mode.",
                        "Open a sample of courses in the LMS and Studio: course content must still render and grade.",
                        "Keep the backups (" + String.join(", ", backups) + ") until test and live environments have both passed; "
                                + "then decide what to prune."),
                List.of(), SEED + ": before delivery, the certificates users are entitled to, the course completion rates and the "
                + "compatibility of the course contents are checked first.", est.of("verify"), Optional.empty(), false, Optional.empty()));
    }

    // ---------------------------------------------------------------- helpers

    private PlanSummary summary() {
        int builds = 0;
        Duration total = Duration.ZERO;
        for (UpgradeStep s : steps) {
            total = total.plus(s.estimate());
            if (s.kind() == StepKind.BUILD_IMAGES) {
                for (List<String> argv : s.commands()) {
                    if (argv.size() > 2 && argv.get(1).equals("images") && argv.get(2).equals("build")) {
                        builds += (int) argv.stream().skip(3).filter(a -> !a.startsWith("-")).count();
                    }
                }
            }
        }
        int points = 0;
        int naiveBuilds = 0;
        Duration naiveTime = Duration.ZERO;
        for (int i = releases.indexOf(fromRelease); i <= releases.indexOf(toRelease); i++) {
            Release r = releases.get(i);
            for (int p = 0; p < r.points().size(); p++) {
                PointRelease pt = r.points().get(p);
                boolean after = r != fromRelease || p > r.points().indexOf(fromPoint);
                boolean notBeyond = r != toRelease || p <= r.points().indexOf(toPoint);
                if (after && notBeyond && pt.shippedByTutor()) {
                    points++;
                    naiveBuilds += r.images().size();
                    for (String image : r.images()) {
                        naiveTime = naiveTime.plus(est.build(image));
                    }
                }
            }
        }
        return new PlanSummary(hops, toRelease.ordinal() - fromRelease.ordinal(), builds, total, points, naiveBuilds, naiveTime);
    }

    private int reserve() {
        steps.add(null);
        return steps.size() - 1;
    }

    private String id(Release release, String what) {
        return String.format(Locale.ROOT, "%02d-%s-%s", steps.size() + 1, release.name(), what);
    }

    private String runVerb() {
        return mode == DeploymentMode.K8S ? "exec" : "run";
    }

    private List<List<String>> substitute(List<List<String>> commands) {
        return commands.stream().map(argv -> argv.stream()
                .map(a -> a.replace("{mode}", mode.word()).replace("{run}", runVerb())).toList()).toList();
    }

    private static String range(String pkg, int major) {
        return pkg + ">=" + major + ".0.0," + "<" + (major + 1) + ".0.0";
    }

    private static String title(UpgradeAction a) {
        if (a.title().isPresent()) {
            return a.title().get();
        }
        String s = a.summary();
        int end = s.indexOf(": ");
        int dot = s.indexOf(". ");
        int cut = end > 0 && (dot < 0 || end < dot) ? end : dot;
        return cut > 0 && cut < 90 ? s.substring(0, cut) : (s.length() > 90 ? s.substring(0, 87) + "..." : s.replaceAll("\\.$", ""));
    }

    private static BackupTarget toTarget(Datastore d) {
        return switch (d) {
            case MYSQL -> BackupTarget.MYSQL;
            case MONGODB -> BackupTarget.MONGODB;
            case SEARCH -> BackupTarget.SEARCH_INDEX;
            case REDIS -> BackupTarget.TUTOR_ROOT;
        };
    }

    private static String tag(Release r, PointRelease p) {
        return r.tag(p);
    }
}
