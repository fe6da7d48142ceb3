package io.arborist.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance guarantee: over every pair of catalog releases, both strategies, every mode, and with no Aspects,
 * Aspects at each line, or a custom theme, every command the planner emits is accepted by the software installed at
 * that step, as extracted from upstream source ({@link PlanConformance}); a request the facts make impossible is one
 * {@link PlanningException}, never a plan that fails.
 */
class ConformanceTest {
    private static final ReleaseCatalog CATALOG = ReleaseCatalog.bundled();

    /** A starting point: the installation, or why none of that shape exists there. */
    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        List<Release> releases = CATALOG.releases();
        for (int i = 0; i < releases.size(); i++) {
            for (int j = i + 1; j < releases.size(); j++) {
                for (Strategy s : Strategy.values()) {
                    for (DeploymentMode m : DeploymentMode.values()) {
                        String from = releases.get(i).name().value();
                        String to = releases.get(j).name().value();
                        out.add(Arguments.of(from, to, s, m, "none"));
                        out.add(Arguments.of(from, to, s, m, "theme"));
                        for (AspectsLine line : CATALOG.aspectsLines()) {
                            if (CATALOG.compatibility(new io.arborist.core.aspects.AspectsVersion(line.major(), 0, 0),
                                    releases.get(i).name()).runs()) {
                                out.add(Arguments.of(from, to, s, m, "aspects-" + line.major()));
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    static Optional<Installation> installation(String from, DeploymentMode mode, String variant) {
        Installation base = Installation.of(CATALOG.resolve(from)).withMode(mode);
        if (variant.equals("theme")) {
            return Optional.of(base.withCustomTheme("mytheme"));
        }
        if (variant.startsWith("aspects-")) {
            int major = Integer.parseInt(variant.substring("aspects-".length()));
            return CATALOG.aspectsReleases().stream().filter(a -> a.version().major() == major && a.released())
                    .map(AspectsRelease::version).reduce((a, b) -> b)
                    .map(v -> base.withAspects(AspectsSetup.of(v)));
        }
        return Optional.of(base);
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3} {4}")
    @MethodSource("combinations")
    void every_command_is_accepted_by_what_is_installed_at_its_step(String from, String to, Strategy strategy, DeploymentMode mode,
                                                                      String variant) {
        Optional<Installation> inst = installation(from, mode, variant);
        assertThat(inst).as("an installation of that shape").isPresent();
        UpgradePlan plan;
        try {
            plan = UpgradePlanner.create(CATALOG).plan(inst.get(), Target.of(CATALOG.resolve(to)), PlanOptions.defaults().withStrategy(strategy));
        } catch (PlanningException e) {
            assertThat(variant).as("only Aspects requests may be impossible: " + e.getMessage()).startsWith("aspects-");
            assertThat(e.getMessage()).doesNotContain("\n").contains("Aspects");
            return;
        }
        assertThat(PlanConformance.check(plan, CATALOG)).as(plan.toString()).isEmpty();
    }

    @Test
    void most_aspects_combinations_are_plannable() {
        long aspects = combinations().filter(a -> a.get()[4].toString().startsWith("aspects-")).count();
        long planned = combinations().filter(a -> a.get()[4].toString().startsWith("aspects-")).filter(a -> {
            Object[] x = a.get();
            try {
                UpgradePlanner.create(CATALOG).plan(installation((String) x[0], (DeploymentMode) x[3], (String) x[4]).orElseThrow(),
                        Target.of(CATALOG.resolve((String) x[1])), PlanOptions.defaults().withStrategy((Strategy) x[2]));
                return true;
            } catch (PlanningException e) {
                return false;
            }
        }).count();
        assertThat(planned).as("plannable of " + aspects).isGreaterThan(aspects / 2);
    }
}
