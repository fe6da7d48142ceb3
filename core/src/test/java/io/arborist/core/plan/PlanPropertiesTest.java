package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.CATALOG;
import static io.arborist.core.plan.Plans.PLANNER;
import static io.arborist.core.plan.Plans.hops;
import static io.arborist.core.plan.Plans.index;
import static io.arborist.core.plan.Plans.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.Release;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every plan must have, checked over every pair of catalog releases, both strategies and all modes. */
class PlanPropertiesTest {
    private static final Set<String> PROGRAMS = Set.of("tutor", "pip", "mkdir", "mv", "rm");

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        List<Release> releases = CATALOG.releases();
        for (int i = 0; i < releases.size(); i++) {
            for (int j = i + 1; j < releases.size(); j++) {
                for (Strategy strategy : Strategy.values()) {
                    for (DeploymentMode mode : DeploymentMode.values()) {
                        out.add(Arguments.of(releases.get(i).name().value(), releases.get(j).name().value(), strategy, mode));
                    }
                }
            }
        }
        return out.stream();
    }

    private static UpgradePlan plan(String from, String to, Strategy strategy, DeploymentMode mode, boolean theme) {
        Installation inst = Plans.at(from).withMode(mode);
        if (theme) {
            inst = inst.withCustomTheme("acme");
        }
        return PLANNER.plan(inst, Plans.to(to), PlanOptions.defaults().withStrategy(strategy));
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("pairs")
    void hops_climb_in_order_and_stepwise_visits_every_release_once(String from, String to, Strategy strategy, DeploymentMode mode) {
        UpgradePlan plan = plan(from, to, strategy, mode, false);

        List<String> hops = hops(plan);
        List<String> expected = CATALOG.releases().stream()
                .filter(r -> r.ordinal() > CATALOG.release(Plans.at(from).release().release()).ordinal())
                .filter(r -> r.ordinal() <= CATALOG.release(Plans.to(to).release().release()).ordinal())
                .map(r -> r.name().value()).toList();
        if (strategy == Strategy.STEPWISE) {
            assertThat(hops).isEqualTo(expected);
        } else {
            assertThat(expected).containsSubsequence(hops);
            assertThat(new HashSet<>(hops)).hasSameSizeAs(hops);
        }
        assertThat(hops).last().isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("pairs")
    void a_backup_precedes_and_covers_every_data_migrating_step(String from, String to, Strategy strategy, DeploymentMode mode) {
        UpgradePlan plan = plan(from, to, strategy, mode, false);

        for (UpgradeStep step : plan.steps()) {
            if (!step.migratesData()) {
                continue;
            }
            assertThat(step.coveredBy()).as(step.id() + " is covered").isPresent();
            UpgradeStep backup = plan.step(step.coveredBy().get()).orElseThrow();
            assertThat(backup).isInstanceOf(BackupStep.class);
            assertThat(((BackupStep) backup).covers()).as(backup.id() + " lists " + step.id()).contains(step.id());
            assertThat(index(plan, backup)).isLessThan(index(plan, step));
        }
        for (BackupStep backup : plan.backups()) {
            for (String covered : backup.covers()) {
                assertThat(index(plan, plan.step(covered).orElseThrow())).isGreaterThan(index(plan, backup));
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("pairs")
    void steps_are_explained_and_commands_are_argv_of_known_programs(String from, String to, Strategy strategy, DeploymentMode mode) {
        UpgradePlan plan = plan(from, to, strategy, mode, true);

        for (UpgradeStep step : plan.steps()) {
            assertThat(step.rationale()).as(step.id()).isNotBlank();
            assertThat(step.estimate()).as(step.id()).isPositive();
            for (List<String> argv : step.commands()) {
                assertThat(PROGRAMS).as(step.id() + " runs " + argv).contains(argv.get(0));
                assertThat(argv).as("mode word in " + argv).noneMatch(a -> a.contains("{mode}") || a.contains("{run}"));
                if (argv.get(0).equals("tutor") && argv.size() > 1 && Set.of("local", "dev", "k8s").contains(argv.get(1))) {
                    boolean devWithoutUpgrade = mode == DeploymentMode.DEV && step.kind() == StepKind.UPGRADE
                            && step.rationale().contains("has no 'tutor dev upgrade'");
                    assertThat(argv.get(1)).as(step.id()).isIn(devWithoutUpgrade ? Set.of("dev", "local") : Set.of(mode.word()));
                }
            }
        }
        assertThat(plan.steps().get(0).kind()).isEqualTo(StepKind.PREPARE);
        assertThat(plan.steps().get(plan.steps().size() - 1).kind()).isEqualTo(StepKind.VERIFY);
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("pairs")
    void the_custom_theme_is_only_in_the_final_build(String from, String to, Strategy strategy, DeploymentMode mode) {
        UpgradePlan plan = plan(from, to, strategy, mode, true);

        List<UpgradeStep> theme = ofKind(plan, StepKind.THEME);
        List<UpgradeStep> images = plan.steps().stream()
                .filter(s -> s.kind() == StepKind.BUILD_IMAGES || s.kind() == StepKind.PULL_IMAGES).toList();
        String target = plan.to().release().release().value();
        if (Plans.hops(plan).size() == 1) {
            assertThat(theme).extracting(UpgradeStep::title).containsExactly("Activate the custom theme");
            return;
        }
        assertThat(theme).extracting(UpgradeStep::title)
                .containsExactly("Set the custom theme aside", "Put the custom theme back", "Activate the custom theme");
        UpgradeStep park = theme.get(0);
        UpgradeStep restore = theme.get(1);
        for (UpgradeStep image : images) {
            if (image.release().value().equals(target)) {
                assertThat(index(plan, image)).as(image.id() + " is after the theme is back").isGreaterThan(index(plan, restore));
            } else {
                assertThat(index(plan, image)).as(image.id() + " is built or pulled while the theme is set aside")
                        .isGreaterThan(index(plan, park)).isLessThan(index(plan, restore));
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource("pairs")
    void json_round_trips_into_the_same_plan(String from, String to, Strategy strategy, DeploymentMode mode) {
        UpgradePlan plan = plan(from, to, strategy, mode, true);

        assertThat(UpgradePlan.fromJson(plan.toJson())).isEqualTo(plan);
    }

    static Stream<Arguments> aspectsPairs() {
        List<Arguments> out = new ArrayList<>();
        List<Release> releases = CATALOG.releases();
        for (Release from : releases) {
            Optional<AspectsRelease> installed = CATALOG.aspectsReleases().stream().filter(AspectsRelease::released)
                    .filter(a -> CATALOG.compatibility(a.version(), from.name()).supported())
                    .filter(a -> CATALOG.plugins().release("tutor-contrib-aspects", a.version().toString())
                            .flatMap(p -> p.requirementOn("tutor")).map(r -> r.matches(from.tutor().pin().toString())).orElse(true))
                    .findFirst();
            if (installed.isEmpty()) {
                continue;
            }
            for (Release to : releases) {
                if (to.ordinal() < from.ordinal()) {
                    continue;
                }
                boolean targetHasAspects = CATALOG.aspectsReleases().stream()
                        .anyMatch(a -> CATALOG.compatibility(a.version(), to.name()).supported());
                if (!targetHasAspects) {
                    continue;
                }
                for (Strategy strategy : Strategy.values()) {
                    out.add(Arguments.of(from.name().value(), installed.get().version().toString(), to.name().value(), strategy));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}+{1} -> {2} {3}")
    @MethodSource("aspectsPairs")
    void aspects_never_runs_on_a_release_it_does_not_support(String from, String installed, String to, Strategy strategy) {
        UpgradePlan plan = PLANNER.plan(Plans.at(from).withAspects(Plans.aspects(installed)), Plans.to(to),
                PlanOptions.defaults().withStrategy(strategy));

        List<String> versions = new java.util.ArrayList<>();
        for (UpgradeStep step : ofKind(plan, StepKind.INSTALL)) {
            for (String arg : step.commands().get(0)) {
                if (arg.startsWith("tutor-contrib-aspects==")) {
                    AspectsVersion v = AspectsVersion.parse(arg.substring("tutor-contrib-aspects==".length()));
                    assertThat(CATALOG.compatibility(v, step.release()).supported()).as("Aspects " + v + " installed on " + step.release()).isTrue();
                    versions.add(v.toString());
                }
            }
        }
        assertThat(PlanConformance.check(plan, CATALOG)).isEmpty();
        for (UpgradeStep step : plan.steps()) {
            if (step.kind().name().startsWith("ASPECTS_")) {
                AspectsVersion v = AspectsVersion.parse(step.id().replaceAll("^\\d+-[a-z]+-aspects-(\\d+\\.\\d+\\.\\d+)-.*$", "$1"));
                assertThat(CATALOG.compatibility(v, step.release()).supported()).as(step.id()).isTrue();
            }
        }
        assertThat(versions).isSortedAccordingTo((a, b) -> AspectsVersion.parse(a).compareTo(AspectsVersion.parse(b)));
        if (!plan.from().aspects().get().version().equals(plan.to().aspects().orElseThrow())) {
            assertThat(versions).last().isEqualTo(plan.to().aspects().get().toString());
        }
    }
}
