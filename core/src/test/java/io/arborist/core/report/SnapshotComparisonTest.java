package io.arborist.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotComparisonTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-02T10:00:00Z");

    private static Snapshot before() {
        return new Snapshot(T0, "mysql 127.0.0.1:3306/edxapp", List.of(
                new Measure("certificates", "course-v1:Org+C1+2024/downloadable", 120),
                new Measure("certificates", "course-v1:Org+C1+2024/notpassing", 30),
                new Measure("enrollments", "course-v1:Org+C1+2024/verified", 200),
                new Measure("grades", "course-v1:Org+C1+2024", 180),
                new Measure("completions", "course-v1:Org+C2+2024", 900)), List.of());
    }

    @Test
    void identical_snapshots_have_no_loss() {
        SnapshotComparison c = SnapshotComparison.compare(before(), before());

        assertThat(c.hasLoss()).isFalse();
        assertThat(c.differences()).hasSize(5).allMatch(d -> d.change() == Change.UNCHANGED);
        assertThat(c.toMarkdown()).contains("Verdict: **no loss found**");
    }

    @Test
    void fewer_or_vanished_counts_are_losses_and_more_is_growth() {
        Snapshot after = new Snapshot(T1, "restored", List.of(
                new Measure("certificates", "course-v1:Org+C1+2024/downloadable", 119),
                new Measure("certificates", "course-v1:Org+C1+2024/notpassing", 30),
                new Measure("enrollments", "course-v1:Org+C1+2024/verified", 200),
                new Measure("grades", "course-v1:Org+C1+2024", 195),
                new Measure("passes", "course-v1:Org+C1+2024", 100)), List.of("edxapp.completion_blockcompletion"));

        SnapshotComparison c = SnapshotComparison.compare(before(), after);

        assertThat(c.hasLoss()).isTrue();
        assertThat(c.only(Change.LOSS)).extracting(Difference::key, Difference::delta).containsExactly(
                org.assertj.core.groups.Tuple.tuple("course-v1:Org+C1+2024/downloadable", -1L),
                org.assertj.core.groups.Tuple.tuple("course-v1:Org+C2+2024", -900L));
        assertThat(c.only(Change.GROWTH)).singleElement().extracting(Difference::area).isEqualTo("grades");
        assertThat(c.only(Change.NEW)).singleElement().extracting(Difference::area).isEqualTo("passes");
        assertThat(c.only(Change.MISSING_TABLE)).singleElement().extracting(Difference::key).isEqualTo("edxapp.completion_blockcompletion");
        assertThat(c.differences().get(0).change()).as("losses first").isEqualTo(Change.LOSS);
        assertThat(c.toMarkdown()).contains("Verdict: **2 losses found**; 1 missing table(s) to check by hand")
                .contains("certificates course-v1:Org+C1+2024/downloadable: 120 -> 119 (-1)")
                .contains("| certificates | 150 | 149 | 1 | 0 | 1 |");
        assertThat(c.toJson()).contains("\"loss\" : true").contains("\"change\" : \"LOSS\"");
    }

    @Test
    void duplicate_keys_add_up() {
        Snapshot split = new Snapshot(T1, "x", List.of(new Measure("users", "*", 5), new Measure("users", "*", 7)), List.of());
        Snapshot whole = new Snapshot(T0, "y", List.of(new Measure("users", "*", 12)), List.of());

        assertThat(SnapshotComparison.compare(whole, split).hasLoss()).isFalse();
    }

    @Test
    void snapshots_round_trip_through_json_and_reject_other_files() {
        Snapshot s = before();

        assertThat(Snapshot.fromJson(s.toJson())).isEqualTo(s);
        assertThatThrownBy(() -> Snapshot.fromJson("{\"format\":1,\"kind\":\"plan\"}")).isInstanceOf(ArboristException.class)
                .hasMessageContaining("not an Arborist snapshot");
        assertThatThrownBy(() -> Snapshot.fromJson("{oops")).isInstanceOf(ArboristException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> new Measure("users", "*", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void snapshots_of_two_stores_join() {
        Snapshot ch = new Snapshot(T1, "clickhouse 127.0.0.1:8123", List.of(new Measure("clickhouse.rows", "xapi.xapi_events_all", 10)), List.of());

        Snapshot both = before().plus(ch);

        assertThat(both.measures()).hasSize(6);
        assertThat(both.source()).isEqualTo("mysql 127.0.0.1:3306/edxapp + clickhouse 127.0.0.1:8123");
        assertThat(both.takenAt()).isEqualTo(T0);
    }

    @Test
    void a_restored_copy_under_another_database_name_compares_key_for_key() {
        Snapshot source = new Snapshot(T0, "ch", List.of(new Measure("clickhouse.rows", "xapi.events", 7)), List.of("xapi.gone"));
        Snapshot restored = new Snapshot(T1, "ch copy", List.of(new Measure("clickhouse.rows", "xapi_copy.events", 7)), List.of("xapi_copy.gone"));

        Snapshot renamed = restored.withDatabasesRenamed(java.util.Map.of("xapi_copy", "xapi"));

        assertThat(renamed.measures()).containsExactly(new Measure("clickhouse.rows", "xapi.events", 7));
        assertThat(renamed.missingTables()).containsExactly("xapi.gone");
        assertThat(SnapshotComparison.compare(source, renamed).hasLoss()).isFalse();
        assertThat(SnapshotComparison.compare(source, restored).hasLoss()).isTrue();
    }
}
