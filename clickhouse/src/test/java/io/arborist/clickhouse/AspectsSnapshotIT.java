package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.Credentials;
import io.arborist.core.report.Change;
import io.arborist.core.report.Difference;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

class AspectsSnapshotIT {
    private static final int ROWS = 5_000;

    private static void fixture(TestClickHouse server) {
        server.once("AspectsSnapshotIT", () -> {
            AspectsFixture.create(server, "sn_", ROWS);
            return server;
        });
    }

    private static AspectsSnapshot snapshot(TestClickHouse server) {
        return AspectsSnapshot.of(server.secured()).databases(List.of("sn_xapi", "sn_event_sink", "sn_reporting", "sn_absent"))
                .eventsTable("sn_xapi", "xapi_events_all");
    }

    /** Events per UTC day, computed here from the fixture's timestamps (one every 600 s), not by ClickHouse. */
    private static Map<String, Long> expectedDays(TestClickHouse server) {
        long base = Long.parseLong(server.value("SELECT toUnixTimestamp(toDateTime('2024-01-01 00:00:00'))"));
        Map<String, Long> days = new TreeMap<>();
        for (long n = 0; n < ROWS; n++) {
            days.merge(Instant.ofEpochSecond(base + n * 600).atZone(ZoneOffset.UTC).toLocalDate().toString(), 1L, Long::sum);
        }
        return days;
    }

    private static Map<String, Long> area(Snapshot s, String area) {
        return s.measures().stream().filter(m -> m.area().equals(area)).collect(Collectors.toMap(Measure::key, Measure::value, Long::sum, TreeMap::new));
    }

    @EachEngine
    void counts_every_table_exactly_and_events_per_day_and_reports_what_is_missing(TestClickHouse server) {
        fixture(server);
        Snapshot s = snapshot(server).describedAs("clickhouse test").take();

        assertThat(s.source()).isEqualTo("clickhouse test");
        assertThat(server.value("SELECT count() FROM sn_event_sink.course_overviews")).as("unmerged duplicates on the server").isEqualTo("120");
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "sn_xapi.xapi_events_all", (long) ROWS,
                "sn_reporting.fact_events", (long) ROWS,
                "sn_reporting..inner.verb_counts", 7L,
                "sn_event_sink.course_overviews", 40L,
                "sn_event_sink.empty_sink", 0L,
                "sn_event_sink.user_profile", 500L));
        if (server.modern()) {
            expected.put("sn_event_sink.course_enrollment", 900L);
            expected.put("sn_reporting.event_attributes", (long) ROWS / 5);
        }
        assertThat(area(s, AspectsSnapshot.ROWS)).isEqualTo(expected);
        assertThat(area(s, AspectsSnapshot.EVENTS)).isEqualTo(expectedDays(server));
        assertThat(s.missingTables()).containsExactly("sn_absent.*");

        Snapshot none = AspectsSnapshot.of(server.admin()).databases(List.of("sn_event_sink")).eventsTable("sn_xapi", "no_such_table").take();
        assertThat(none.missingTables()).containsExactly("sn_xapi.no_such_table");
        assertThat(area(none, AspectsSnapshot.EVENTS)).isEmpty();
        assertThat(area(none, AspectsSnapshot.ROWS).keySet()).isEqualTo(expected.keySet().stream().filter(k -> k.startsWith("sn_event_sink."))
                .collect(Collectors.toSet()));
    }

    @EachEngine
    void a_deleted_day_shows_as_loss(TestClickHouse server) throws Exception {
        fixture(server);
        server.run("CREATE DATABASE sn_loss_xapi", "CREATE TABLE sn_loss_xapi.xapi_events_all AS sn_xapi.xapi_events_all",
                "INSERT INTO sn_loss_xapi.xapi_events_all SELECT * FROM sn_xapi.xapi_events_all");
        AspectsSnapshot taker = AspectsSnapshot.of(server.admin()).databases(List.of("sn_loss_xapi")).eventsTable("sn_loss_xapi", "xapi_events_all");
        Snapshot before = taker.take();
        long from = LocalDate.parse("2024-01-10").atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        server.run("ALTER TABLE sn_loss_xapi.xapi_events_all DELETE WHERE emission_time >= toDateTime(" + from + ") AND emission_time < toDateTime("
                + (from + 86_400) + ")");
        for (int i = 0; i < 300 && !server.value("SELECT count() FROM sn_loss_xapi.xapi_events_all").equals(String.valueOf(ROWS - 144)); i++) {
            Thread.sleep(100);
        }
        Snapshot after = taker.take();

        SnapshotComparison c = SnapshotComparison.compare(before, after);
        assertThat(c.hasLoss()).isTrue();
        assertThat(c.only(Change.LOSS)).containsExactlyInAnyOrder(
                new Difference(AspectsSnapshot.EVENTS, "2024-01-10", 144, 0, Change.LOSS),
                new Difference(AspectsSnapshot.ROWS, "sn_loss_xapi.xapi_events_all", ROWS, ROWS - 144, Change.LOSS));
        assertThat(SnapshotComparison.compare(before, taker.take()).only(Change.LOSS)).hasSize(2);
        assertThat(SnapshotComparison.compare(before, before).hasLoss()).isFalse();
    }

    @EachEngine
    void a_merge_that_removes_duplicates_is_not_a_loss(TestClickHouse server) {
        server.run("CREATE DATABASE sn_merge", "CREATE TABLE sn_merge.names (k String, v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY k",
                "INSERT INTO sn_merge.names SELECT toString(number), 1 FROM numbers(300)", "INSERT INTO sn_merge.names SELECT toString(number), 2 FROM numbers(300)");
        AspectsSnapshot taker = AspectsSnapshot.of(server.admin()).databases(List.of("sn_merge"));
        Snapshot before = taker.take();
        server.run("OPTIMIZE TABLE sn_merge.names FINAL");
        assertThat(server.value("SELECT count() FROM sn_merge.names")).as("the merge removed the duplicates").isEqualTo("300");
        Snapshot after = taker.take();

        assertThat(area(before, AspectsSnapshot.ROWS)).isEqualTo(Map.of("sn_merge.names", 300L));
        assertThat(SnapshotComparison.compare(before, after).hasLoss()).isFalse();
        server.run("ALTER TABLE sn_merge.names DELETE WHERE k = '7'");
        for (int i = 0; i < 300 && !server.value("SELECT count() FROM sn_merge.names").equals("299"); i++) {
            sleep();
        }
        assertThat(SnapshotComparison.compare(before, taker.take()).only(Change.LOSS))
                .containsExactly(new Difference(AspectsSnapshot.ROWS, "sn_merge.names", 300, 299, Change.LOSS));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @EachEngine
    void an_unreachable_server_is_a_clear_error_and_arguments_are_checked(TestClickHouse server) throws Exception {
        int port = TestClickHouse.freePort();
        assertThatThrownBy(() -> AspectsSnapshot.of(ClickHouseEndpoint.of("http://127.0.0.1:" + port, Credentials.of("default", new char[0]))).take())
                .isInstanceOf(ArboristException.class).hasMessageContaining("cannot reach ClickHouse");
        assertThatThrownBy(() -> AspectsSnapshot.of(server.admin()).databases(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AspectsSnapshot.of(null)).isInstanceOf(NullPointerException.class);
        assertThat(AspectsSnapshot.of(server.secured()).toString()).doesNotContain(TestClickHouse.PASSWORD);
    }
}
