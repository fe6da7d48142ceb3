package io.arborist.core.plan;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.ReleaseCatalog;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers over plans. */
final class Plans {
    static final ReleaseCatalog CATALOG = ReleaseCatalog.bundled();
    static final UpgradePlanner PLANNER = UpgradePlanner.create(CATALOG);

    private Plans() {
    }

    static Installation at(String release) {
        return Installation.of(CATALOG.resolve(release));
    }

    static Target to(String release) {
        return Target.of(CATALOG.resolve(release));
    }

    static AspectsSetup aspects(String version) {
        return AspectsSetup.of(AspectsVersion.parse(version));
    }

    static UpgradePlan stepwise(Installation from, Target to) {
        return PLANNER.plan(from, to, PlanOptions.defaults());
    }

    static UpgradePlan waypoints(Installation from, Target to) {
        return PLANNER.plan(from, to, PlanOptions.defaults().withStrategy(Strategy.WAYPOINTS));
    }

    static List<UpgradeStep> ofKind(UpgradePlan plan, StepKind kind) {
        return plan.steps().stream().filter(s -> s.kind() == kind).toList();
    }

    /** Releases reached by platform hops, in order (one LAUNCH per hop). */
    static List<String> hops(UpgradePlan plan) {
        return ofKind(plan, StepKind.LAUNCH).stream().map(s -> s.release().value()).toList();
    }

    static String commandLines(UpgradeStep step) {
        return step.commands().stream().map(a -> String.join(" ", a)).collect(Collectors.joining("\n"));
    }

    static int index(UpgradePlan plan, UpgradeStep step) {
        return plan.steps().indexOf(step);
    }

    /** Aspects versions installed by Aspects-upgrade INSTALL steps (pip install tutor-contrib-aspects==X alone). */
    static List<String> aspectsUpgrades(UpgradePlan plan) {
        return ofKind(plan, StepKind.INSTALL).stream()
                .filter(s -> s.commands().get(0).size() == 3 && s.commands().get(0).get(2).startsWith("tutor-contrib-aspects=="))
                .map(s -> s.commands().get(0).get(2).substring("tutor-contrib-aspects==".length())).toList();
    }
}
