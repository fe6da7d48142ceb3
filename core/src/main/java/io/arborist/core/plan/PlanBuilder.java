package io.arborist.core.plan;

import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.PointRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.ReleasePoint;
import io.arborist.core.release.UpgradeAction;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds one plan: checks the request, chooses the stops, then lets the phases append their steps ({@link CheckSteps},
 * {@link HopSteps}, {@link AspectsSteps}). Not thread-safe; one instance per call.
 */
final class PlanBuilder {
    private final ReleaseCatalog catalog;
    private final Installation from;
    private final Target requested;
    private final Strategy strategy;
    private final List<Release> releases;

    private Release fromRelease;
    private PointRelease fromPoint;
    private Release toRelease;
    private PointRelease toPoint;
    private Draft d;

    PlanBuilder(ReleaseCatalog catalog, Installation from, Target to, PlanOptions options) {
        this.catalog = catalog;
        this.from = from;
        this.requested = to;
        this.strategy = options.strategy();
        this.releases = catalog.releases();
    }

    UpgradePlan build() {
        validate();
        List<Release> crossed = releases.subList(releases.indexOf(fromRelease), releases.indexOf(toRelease) + 1);
        CheckSteps.prepare(d, crossed, toRelease);
        upgradeAspectsOnTheSpot();
        if (toRelease == fromRelease) {
            if (!toPoint.equals(fromPoint)) {
                HopSteps.hop(d, fromRelease, fromRelease, toPoint, true);
            }
        } else {
            Release position = fromRelease;
            while (position.ordinal() < toRelease.ordinal()) {
                Release stop = nextStop(position);
                HopSteps.hop(d, position, stop, stop == toRelease ? toPoint : stop.newestPoint(), stop == toRelease);
                position = stop;
                upgradeAspectsOnTheSpot();
            }
        }
        if (d.aspects.isPresent() && !d.aspects.equals(d.targetAspects)) {
            AspectsSteps.standalone(d, d.targetAspects.orElseThrow());
        }
        CheckSteps.verify(d, toRelease);
        Target resolved = new Target(new ReleasePoint(toRelease.name(), toPoint.name()), d.targetAspects);
        return new UpgradePlan(from, resolved, strategy, List.copyOf(d.steps), List.copyOf(d.warnings), summary(),
                Optional.of(catalog.checked()));
    }

    /** Upgrades Aspects majors the running release documents before hopping on (Nutmeg with 1.x to Redwood with 2.x, then on). */
    private void upgradeAspectsOnTheSpot() {
        while (d.aspects.isPresent() && d.aspects.get().major() < d.targetAspects.orElseThrow().major()) {
            Optional<AspectsVersion> next = AspectsSteps.best(d, d.aspects.get().major() + 1, d.release, d.tutor);
            if (next.isEmpty()) {
                return;
            }
            AspectsSteps.standalone(d, next.get());
        }
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
            throw new PlanningException(ErrorKind.PLANNING, "Cannot plan a downgrade from " + fromRelease.tag(fromPoint) + " to "
                    + toRelease.tag(toPoint) + ": Tutor and Open edX do not support downgrades. To go back, restore the backups taken before the upgrade.");
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
        d = new Draft(catalog, from, fromRelease);
        validateAspects();
        if (toRelease == fromRelease && toPoint.equals(fromPoint) && d.aspects.equals(d.targetAspects)) {
            throw new PlanningException(ErrorKind.PLANNING, "Nothing to upgrade: the installation is already at " + toRelease.tag(toPoint)
                    + d.aspects.map(a -> " with Aspects " + a).orElse("") + ".");
        }
        for (Map.Entry<Datastore, String> e : from.datastores().entrySet()) {
            fromRelease.datastores().version(e.getKey()).filter(def -> !def.equals(e.getValue())).ifPresent(def ->
                    d.warnings.add("You run " + e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue() + " where "
                            + fromRelease.displayName() + "'s Tutor default is " + def + ": Tutor's datastore steps assume the "
                            + "defaults; check each datastore step by hand."));
        }
        Release newest = releases.get(releases.size() - 1);
        for (Release r : releases.subList(releases.indexOf(fromRelease), releases.indexOf(toRelease) + 1)) {
            if (!d.upstream.knows(r.tutor().pin())) {
                d.warnings.add("Tutor " + r.tutor().pin() + "'s command grammar is not in the catalog (" + r.displayName() + "): its "
                        + "commands are planned and checked with the grammar of Tutor " + d.upstream.nearest(r.tutor().pin())
                        + "; re-run scripts/extract-tutor-grammar once it is tagged.");
            }
        }
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
        AspectsSteps.checkInstalled(d);
        CompatibilityVerdict now = catalog.compatibility(installed, fromRelease.name());
        if (!now.supported()) {
            d.warnings.add("The installed Aspects " + installed + " is outside its documented range on " + fromRelease.displayName()
                    + ": " + now.reason() + ".");
        }
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
        catalog.aspectsRelease(goal).filter(a -> !a.released()).ifPresent(a -> d.warnings.add("Aspects " + goal
                + " is announced but was not tagged when the catalog was compiled: check that it exists before its step."));
        d.targetAspects = Optional.of(goal);
    }

    private AspectsVersion defaultAspects() {
        List<AspectsRelease> documented = catalog.aspectsReleases().stream()
                .filter(a -> catalog.compatibility(a.version(), toRelease.name()).supported()).toList();
        return documented.stream().filter(AspectsRelease::released).reduce((a, b) -> b)
                .or(() -> documented.stream().reduce((a, b) -> b))
                .orElseThrow(() -> new PlanningException(ErrorKind.INCOMPATIBLE, "No Aspects version in the catalog is documented for "
                        + toRelease.displayName() + ". Add one with a catalog overlay, or target another release."))
                .version();
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

    /**
     * The next release to stop on. Stepwise: the next release. Waypoints: as far as Tutor's chained {@code upgrade --from}
     * may go, but no further than the release owning a required action that is not available yet where the hop starts
     * (the forum migration runs on that release, before leaving it), than a release whose
     * datastore an action must land on (MySQL 5.6 data is upgraded by a MySQL 5.7 server only), than where the next
     * Aspects major is first documented, or than the last release the installed Aspects may run on.
     */
    private Release nextStop(Release position) {
        int start = releases.indexOf(position);
        if (strategy == Strategy.STEPWISE) {
            return releases.get(start + 1);
        }
        int stop = releases.indexOf(toRelease);
        for (int i = start; i < stop; i++) {
            for (UpgradeAction a : releases.get(i).leaving()) {
                if (a.required() && a.availableFrom().isPresent()
                        && releases.indexOf(catalog.release(a.availableFrom().get())) > start) {
                    stop = Math.min(stop, i);
                }
                for (Map.Entry<Datastore, String> land : a.landOn().entrySet()) {
                    int farthest = -1;
                    for (int j = i + 1; j <= stop; j++) {
                        if (releases.get(j).datastores().version(land.getKey()).map(v -> v.startsWith(land.getValue())).orElse(false)) {
                            farthest = j;
                        }
                    }
                    stop = farthest >= 0 ? farthest : Math.max(start + 1, i);
                }
            }
        }
        if (d.aspects.isPresent()) {
            AspectsVersion current = d.aspects.get();
            if (current.major() < d.targetAspects.orElseThrow().major()) {
                for (int i = start + 1; i <= stop; i++) {
                    if (AspectsSteps.best(d, current.major() + 1, releases.get(i), releases.get(i).tutor().pin()).isPresent()) {
                        stop = i;
                        break;
                    }
                }
            }
            for (int i = start + 2; i <= stop; i++) {
                if (!AspectsSteps.canLand(d, releases.get(i), releases.get(i).tutor().pin())) {
                    stop = i - 1;
                    break;
                }
            }
        }
        return releases.get(stop);
    }

    // ---------------------------------------------------------------- summary

    private PlanSummary summary() {
        int builds = 0;
        int pulls = 0;
        Duration total = Duration.ZERO;
        Duration buildTime = Duration.ZERO;
        for (UpgradeStep s : d.steps) {
            total = total.plus(s.estimate());
            for (List<String> argv : s.commands()) {
                if (argv.size() > 3 && argv.get(0).equals("tutor") && argv.get(1).equals("images")) {
                    List<String> images = argv.subList(3, argv.size()).stream().filter(a -> !a.startsWith("-")).toList();
                    if (argv.get(2).equals("build")) {
                        builds += images.size();
                        for (String image : images) {
                            buildTime = buildTime.plus(d.est.build(image));
                        }
                    } else if (argv.get(2).equals("pull")) {
                        pulls += images.size();
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
                        naiveTime = naiveTime.plus(d.est.build(image));
                    }
                }
            }
        }
        return new PlanSummary(d.hops, toRelease.ordinal() - fromRelease.ordinal(), builds, pulls, buildTime, total, points,
                naiveBuilds, naiveTime);
    }
}
