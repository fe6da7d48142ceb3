package io.arborist.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.plan.Installation;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.Datastore;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.report.Snapshot;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Huge, deep and malformed inputs give one clear error, never a stack trace or a wrapped number. */
class HostileInputTest {
    private static final UpgradePlan PLAN = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac");

    private static ReleaseCatalog overlay(String json) {
        return ReleaseCatalog.bundled().overlay(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "hostile.json");
    }

    @Test
    void a_5000_deep_overlay_plan_or_snapshot_is_refused_in_one_line() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> overlay("{\"releases\": [{\"name\": \"ulmo\", \"notes\": " + deep + "}]}"))
                .isInstanceOf(CatalogException.class).hasMessageStartingWith("catalog hostile.json: too large or too deeply nested")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> UpgradePlan.fromJson("{\"format\": 2, \"steps\": " + deep + "}"))
                .isInstanceOf(ArboristException.class).hasMessageStartingWith("plan: too large or too deeply nested");
        assertThatThrownBy(() -> Snapshot.fromJson("{\"measures\": " + deep + "}"))
                .isInstanceOf(ArboristException.class).hasMessageStartingWith("snapshot: too large or too deeply nested");
    }

    @Test
    void a_50_mb_string_is_refused_naming_the_limit() {
        String huge = "a".repeat(50 << 20);
        assertThatThrownBy(() -> overlay("{\"releases\": [{\"name\": \"ulmo\", \"notes\": [\"" + huge + "\"]}]}"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("too large").hasMessageContaining("MiB");
    }

    @Test
    void an_absurd_duration_in_a_plan_or_catalog_names_the_field_instead_of_overflowing() {
        String json = PLAN.toJson().replaceFirst("\"estimate\" : \"PT30M\"", "\"estimate\" : \"PT999999999999999H\"");
        assertThat(json).contains("PT999999999999999H");
        assertThatThrownBy(() -> UpgradePlan.fromJson(json)).isInstanceOf(ArboristException.class)
                .hasMessageContaining("steps[0].estimate").hasMessageContaining("PT999999999999999H").hasMessageContaining("60 days");
        assertThatThrownBy(() -> overlay("{\"estimates\": {\"launch\": \"PT999999999999999H\"}}"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("'launch'").hasMessageContaining("60 days");
    }

    @Test
    void a_count_beyond_64_bits_in_a_snapshot_is_refused_not_wrapped() {
        String json = "{\"kind\": \"arborist-snapshot\", \"format\": 1, \"takenAt\": \"2026-12-03T10:00:00Z\", \"source\": \"x\","
                + " \"measures\": [{\"area\": \"certificates\", \"key\": \"course-v1:A+B+C\", \"value\": 99999999999999999999999}]}";
        assertThatThrownBy(() -> Snapshot.fromJson(json)).isInstanceOf(ArboristException.class)
                .hasMessageContaining("course-v1:A+B+C").hasMessageContaining("fits in 64 bits");
    }

    @Test
    void a_datastore_version_that_is_not_a_version_is_refused() {
        Installation koa = Installation.of(ReleaseCatalog.bundled().resolve("koa"));
        assertThatThrownBy(() -> koa.withDatastore(Datastore.MYSQL, "banana")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("datastore version for mysql must look like 8.0.35 or v1.8.4, got 'banana'");
        assertThat(koa.withDatastore(Datastore.SEARCH, "v1.8.4").datastores()).containsValue("v1.8.4");
    }

    @Test
    void newlines_and_markup_in_plan_text_cannot_inject_markdown() {
        String json = PLAN.toJson().replaceFirst("\"title\" : \"Prepare: record settings and read release notes\"",
                "\"title\" : \"Prepare\\\\n# Injected heading\\\\n| a | b |\"");
        assertThat(json).contains("Injected heading");
        String md = UpgradePlan.fromJson(json).toMarkdown();
        assertThat(md.lines()).noneMatch(l -> l.startsWith("# Injected")).noneMatch(l -> l.startsWith("| a"));
        assertThat(md).contains("**Prepare # Injected heading \\| a \\| b \\|**");
    }
}
