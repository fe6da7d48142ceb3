package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.Estimates;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.TutorVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;

/**
 * A plan being built, and the installation as it will be once the steps so far have run: the running release, the
 * installed Tutor and Aspects versions, the enabled plugins, whether the theme is set aside. The phase classes
 * ({@link HopSteps}, {@link AspectsSteps}, {@link DatastoreSteps}, {@link ThemeSteps}, {@link CheckSteps}) append
 * steps and move this state forward. One per plan; not thread-safe.
 */
final class Draft {
    static final String SEED = "Seed (Koa to Olive upgrade story)";

    final ReleaseCatalog catalog;
    final Upstream upstream;
    final Installation from;
    final DeploymentMode mode;
    final Estimates est;
    final List<UpgradeStep> steps = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Release release;
    TutorVersion tutor;
    Optional<AspectsVersion> aspects;
    Optional<AspectsVersion> targetAspects = Optional.empty();
    /** Installed plugins: plugin name to version. */
    final Map<String, String> installedPlugins = new LinkedHashMap<>();
    /** Enabled plugins: plugin name to installed version. */
    final Map<String, String> enabledPlugins = new LinkedHashMap<>();
    boolean themeParked;
    int hops;

    Draft(ReleaseCatalog catalog, Installation from, Release fromRelease) {
        this.catalog = catalog;
        this.upstream = new Upstream(catalog);
        this.from = from;
        this.mode = from.mode();
        this.est = catalog.estimates();
        this.release = fromRelease;
        this.tutor = from.tutor().orElse(fromRelease.tutor().pin());
        this.aspects = from.aspects().map(AspectsSetup::version);
        aspects.ifPresent(a -> enabledPlugins.put("aspects", a.toString()));
        installedPlugins.putAll(enabledPlugins);
    }

    /** @return the command builder for the Tutor installed at this point */
    TutorCli cli() {
        return new TutorCli(upstream, tutor, mode, enabledPlugins);
    }

    /** @return an id for the next step, e.g. {@code 07-lilac-build-images} */
    String id(Release r, String what) {
        return String.format(Locale.ROOT, "%02d-%s-%s", steps.size() + 1, r.name(), what);
    }

    CommandStep.Builder command(Release r, String what, StepKind kind) {
        return CommandStep.builder(id(r, what), kind, r.name());
    }

    ManualStep.Builder manual(Release r, String what, StepKind kind) {
        return ManualStep.builder(id(r, what), kind, r.name());
    }

    /** Records what a pip install left installed; enabled plugins move to their new versions. */
    void installed(TutorVersion newTutor, Map<String, String> plugins) {
        tutor = newTutor;
        installedPlugins.putAll(plugins);
        enabledPlugins.replaceAll((name, version) -> installedPlugins.getOrDefault(name, version));
    }

    void add(UpgradeStep step) {
        steps.add(step);
    }

    /** Keeps a place for a step built later (a backup step knows what it covers only at the end of its hop). */
    Slot reserve(Release r, String what) {
        String id = id(r, what);
        steps.add(null);
        return new Slot(steps.size() - 1, id);
    }

    void fill(Slot slot, UpgradeStep step) {
        if (!step.id().equals(slot.id())) {
            throw new IllegalStateException("slot " + slot.id() + " filled with " + step.id());
        }
        steps.set(slot.index(), step);
    }

    /** A reserved place in the step list. */
    record Slot(int index, String id) {
    }
}
