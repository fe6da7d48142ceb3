package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.aspects;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.TutorVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanErrorsTest {

    @Test
    void downgrade_is_refused() {
        assertThatThrownBy(() -> stepwise(at("olive"), to("koa")))
                .isInstanceOf(PlanningException.class)
                .hasMessage("Cannot plan a downgrade from open-release/olive.4 to open-release/koa.3: Tutor and Open edX do not support "
                        + "downgrades. To go back, restore the backups taken before the upgrade.")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.PLANNING);
    }

    @Test
    void point_downgrade_is_refused() {
        assertThatThrownBy(() -> stepwise(at("olive.3"), to("olive.2"))).isInstanceOf(PlanningException.class)
                .hasMessageContaining("downgrade from open-release/olive.3 to open-release/olive.2");
    }

    @Test
    void unknown_release_names_the_nearest_and_all_valid_ones() {
        assertThatThrownBy(() -> Plans.PLANNER.plan("liliac", "olive")).isInstanceOf(PlanningException.class)
                .hasMessageStartingWith("Unknown release 'liliac'. Did you mean 'lilac'? Known releases: ironwood, juniper, koa, lilac,")
                .hasMessageEndingWith("verawood.")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.UNKNOWN_NAME);
    }

    @Test
    void nothing_to_do_is_refused() {
        assertThatThrownBy(() -> stepwise(at("ulmo"), to("ulmo")))
                .isInstanceOf(PlanningException.class).hasMessage("Nothing to upgrade: the installation is already at release/ulmo.3.");
    }

    @Test
    void target_aspects_without_installed_aspects_is_refused() {
        assertThatThrownBy(() -> stepwise(at("redwood"), to("ulmo").withAspects(AspectsVersion.parse("3.0.3"))))
                .isInstanceOf(PlanningException.class).hasMessageContaining("target Aspects version (3.0.3)")
                .hasMessageContaining("no Aspects");
    }

    @Test
    void aspects_downgrade_is_refused() {
        assertThatThrownBy(() -> stepwise(at("teak").withAspects(aspects("2.5.3")), to("teak").withAspects(AspectsVersion.parse("2.4.0"))))
                .isInstanceOf(PlanningException.class).hasMessageContaining("Aspects downgrade from 2.5.3 to 2.4.0");
    }

    @Test
    void target_aspects_incompatible_with_target_release_is_refused() {
        assertThatThrownBy(() -> stepwise(at("ulmo").withAspects(aspects("3.0.3")), to("verawood").withAspects(AspectsVersion.parse("3.0.3"))))
                .isInstanceOf(PlanningException.class)
                .hasMessage("Aspects 3.0.3 does not support Verawood: Aspects 3.x is documented for Ulmo and known to run on Ulmo through "
                        + "Verawood. Choose Aspects 4.x for Verawood, or target a release in Ulmo.")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.INCOMPATIBLE);
    }

    @Test
    void aspects_version_too_new_for_its_line_minimum_is_refused() {
        assertThatThrownBy(() -> stepwise(at("quince").withAspects(aspects("1.3.2")), to("redwood").withAspects(AspectsVersion.parse("2.5.3"))))
                .isInstanceOf(PlanningException.class).hasMessageContaining("Aspects 2.5.3 needs Sumac or later");
    }

    @Test
    void unknown_aspects_version_lists_the_known_ones() {
        assertThatThrownBy(() -> stepwise(at("teak").withAspects(aspects("2.4.0")), to("teak").withAspects(AspectsVersion.parse("2.9.9"))))
                .isInstanceOf(PlanningException.class).hasMessageContaining("Unknown Aspects version '2.9.9'. Known versions: 1.0.0,");
    }

    @Test
    void unknown_point_release_lists_the_points() {
        assertThatThrownBy(() -> stepwise(Installation.of(io.arborist.core.release.ReleasePoint.of("koa", "9")), to("olive")))
                .isInstanceOf(PlanningException.class)
                .hasMessage("Unknown point release 'koa.9': Koa has points koa.1, koa.2, koa.2a, koa.3.");
    }

    @Test
    void tutor_version_must_match_the_installed_release() {
        assertThatThrownBy(() -> stepwise(at("koa").withTutor(TutorVersion.parse("12.0.0")), to("olive")))
                .isInstanceOf(PlanningException.class)
                .hasMessageStartingWith("Tutor 12.0.0 deploys Lilac, not Koa (Tutor 11.x).");
    }

    @Test
    void a_gap_in_the_catalog_is_refused(@TempDir Path dir) throws IOException {
        String json;
        try (InputStream in = ReleaseCatalog.class.getResourceAsStream("/io/arborist/core/catalog/catalog.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = json.indexOf("{\n      \"name\": \"palm\"");
        int end = json.indexOf("{\n      \"name\": \"quince\"");
        assertThat(start).isPositive();
        Path file = dir.resolve("gap.json");
        Files.writeString(file, json.substring(0, start) + json.substring(end));
        UpgradePlanner planner = UpgradePlanner.create(ReleaseCatalog.load(file));

        assertThatThrownBy(() -> planner.plan("olive", "quince")).isInstanceOf(PlanningException.class)
                .hasMessageStartingWith("The catalog has a gap between Olive (ordinal 16) and Quince (ordinal 18)");
    }

    @Test
    void invalid_plan_json_names_the_field() {
        assertThatThrownBy(() -> UpgradePlan.fromJson("{\"format\": 1, \"installation\": {}}"))
                .isInstanceOf(ArboristException.class).hasMessageContaining("field 'release' is missing");
        assertThatThrownBy(() -> UpgradePlan.fromJson("{\"format\": 7}"))
                .isInstanceOf(ArboristException.class).hasMessageContaining("this Arborist reads plan formats 1 and 2");
        assertThatThrownBy(() -> UpgradePlan.fromJson("not json")).isInstanceOf(ArboristException.class).hasMessageContaining("not valid JSON");
    }
}
