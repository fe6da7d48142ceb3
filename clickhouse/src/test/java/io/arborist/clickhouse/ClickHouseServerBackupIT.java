package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.internal.Dumper;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;

/** The server-side path: ClickHouse's own BACKUP and RESTORE (22.8+) with the adapter's manifest and verification around them. */
class ClickHouseServerBackupIT {
    static final List<String> SOURCE = List.of("sb_xapi", "sb_event_sink", "sb_reporting");

    static void fixture(TestClickHouse server) {
        server.once("ClickHouseServerBackupIT", () -> {
            AspectsFixture.create(server, "sb_", 6_000);
            return server;
        });
    }

    @EachEngine
    void backs_up_with_the_servers_backup_and_restores_every_row_into_other_databases(TestClickHouse server, @TempDir Path tmp) throws Exception {
        if (!server.modern()) {
            ClickHouseBackup old = ClickHouseBackup.using(server.admin()).databases(List.of("system")).serverSide(server.backupFile("old")).build();
            assertThatThrownBy(() -> old.backup(tmp.resolve("old"))).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("has no BACKUP statement").hasMessageContaining(server.version())
                    .hasMessageContaining("use the streaming backup").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.BACKUP));
            assertThat(tmp.resolve("old/manifest.json")).doesNotExist();
            Path manifest = tmp.resolve("server-side");
            ClickHouseManifest serverSide = new ClickHouseManifest(1, Dumper.TOOL, "26.7.2.1", java.time.Instant.now(),
                    List.of(new ManifestDatabase("sb_xapi", "CREATE DATABASE sb_xapi ENGINE = Atomic")), List.of(), List.of(), Dumper.CHECKSUM,
                    List.of(), java.util.Optional.of(new ServerBackup(server.backupFile("elsewhere"), "5fa14a6b-d255-4da9-a319-b38718ae6485", 3, 100)));
            Files.createDirectories(manifest);
            io.arborist.clickhouse.internal.ManifestJson.write(manifest, serverSide, java.util.Optional.empty());
            assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sb_xapi", "sb_never").build().restore(manifest))
                    .isInstanceOf(ArboristException.class).hasMessageContaining("has no RESTORE statement")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.RESTORE));
            assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'sb_never'")).isEqualTo("0");
            return;
        }
        fixture(server);
        Snapshot before = AspectsSnapshot.of(server.admin()).databases(SOURCE).eventsTable("sb_xapi", "xapi_events_all").take();
        BackupDestination to = server.backupFile("aspects-file");
        ClickHouseManifest m = ClickHouseBackup.using(server.secured()).databases(SOURCE).serverSide(to).build().backup(tmp.resolve("b"));

        assertThat(m.serverBackup()).get().extracting(ServerBackup::destination).isEqualTo(to);
        assertThat(m.serverBackup().get().bytes()).isPositive();
        assertThat(ClickHouseManifest.read(tmp.resolve("b"))).isEqualTo(m);
        assertThat(ClickHouseRoundTripIT.find(m, "sb_xapi.xapi_events_all").rows()).isEqualTo(6_000);
        assertThat(ClickHouseRoundTripIT.find(m, "sb_event_sink.course_overviews").rows()).as("unmerged duplicates counted").isEqualTo(120);
        assertThat(ClickHouseRoundTripIT.inner(m, "sb_reporting", "verb_counts").rows()).isPositive();
        assertThat(m.objects()).flatExtracting(ManifestObject::chunks).allSatisfy(c -> {
            assertThat(c.file()).as("no data file: the rows are on the server").isEmpty();
            assertThat(c.hashSum()).isNotEmpty();
        });
        try (var files = Files.list(tmp.resolve("b"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("manifest.json", "manifest.json.sha256", "schema");
        }
        VerifyReport v = ClickHouseVerifier.builder().build().verify(tmp.resolve("b"));
        assertThat(v.ok()).isTrue();
        assertThat(v.files()).as("no data file: only the schema files").isEqualTo(m.files().size());

        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("sb_xapi", "sb2_xapi").rename("sb_event_sink", "sb2_event_sink")
                .rename("sb_reporting", "sb2_reporting").build().restore(tmp.resolve("b"));

        assertThat(r.allMatch()).isTrue();
        assertThat(r.tables()).extracting(TableCheck::qualifiedName).contains("sb2_xapi.xapi_events_all", "sb2_event_sink.course_overviews",
                "sb2_reporting..inner.verb_counts", "sb2_reporting.event_attributes");
        Snapshot after = AspectsSnapshot.of(server.admin()).databases(List.of("sb2_xapi", "sb2_event_sink", "sb2_reporting"))
                .eventsTable("sb2_xapi", "xapi_events_all").take();
        Snapshot renamedBack = new Snapshot(after.takenAt(), after.source(), after.measures().stream()
                .map(x -> new Measure(x.area(), x.key().replaceFirst("^sb2_", "sb_"), x.value())).toList(), after.missingTables());
        SnapshotComparison c = SnapshotComparison.compare(before, renamedBack);
        assertThat(c.hasLoss()).as("no data lost: %s", c).isFalse();
        assertThat(renamedBack.measures()).containsExactlyInAnyOrderElementsOf(before.measures());
        assertThat(server.value("SELECT count() FROM system.tables WHERE database LIKE 'sb2\\\\_%' AND uuid IN"
                + " (SELECT uuid FROM system.tables WHERE database LIKE 'sb\\\\_%')")).as("restored tables have UUIDs of their own").isEqualTo("0");
        assertThat(server.value("SELECT comment FROM system.databases WHERE name = 'sb2_reporting'")).isEqualTo("Aspects reporting");
        server.run("INSERT INTO sb2_xapi.xapi_events_all (event_id, emission_time, actor_id, verb_id, event) VALUES"
                + " ('61f0c404-5cb3-11e7-907b-a6006ad3dba0', '2024-05-01 00:00:00', 'new', 'v', '{}')");
        assertThat(server.value("SELECT count() FROM sb2_reporting.fact_events WHERE actor_id = 'new'")).as("restored MV fires on new rows").isEqualTo("1");
        assertThat(server.value("SELECT count() FROM sb_reporting.fact_events WHERE actor_id = 'new'")).as("the MV points at the renamed database")
                .isEqualTo("0");
        assertThat(server.value("SELECT create_table_query FROM system.tables WHERE database = 'sb2_event_sink' AND name = 'course_names_dict'"))
                .as("the dictionary came back without a ddlOverride, pointing at the renamed database").contains("DB \\'sb2_event_sink\\'");
    }

    @EachEngine(since = "22.8")
    void restores_from_a_disk_and_resumes_an_interrupted_restore_without_duplicates(TestClickHouse server, @TempDir Path tmp) throws Exception {
        fixture(server);
        Path dir = tmp.resolve("disk");
        ClickHouseBackup.using(server.admin()).databases(List.of("sb_event_sink", "sb_reporting", "sb_xapi")).serverSide(server.backupDisk("aspects-disk"))
                .build().backup(dir);
        Path journal = tmp.resolve("restore.journal");
        AtomicBoolean crashed = new AtomicBoolean();
        ClickHouseRestore.Builder restore = ClickHouseRestore.using(server.admin()).rename("sb_event_sink", "sb3_event_sink")
                .rename("sb_reporting", "sb3_reporting").rename("sb_xapi", "sb3_xapi").journal(journal);
        ClickHouseRestore crashing = restore.listener(p -> {
            if (!crashed.get() && Files.exists(journal) && read(journal).contains("begin server-restore:data")) {
                crashed.set(true);
                throw new IllegalStateException("simulated crash while the server restores the rows");
            }
        }).build();
        assertThatThrownBy(() -> crashing.restore(dir)).hasMessageContaining("simulated crash");
        assertThat(read(journal)).contains("done server-restore:structure").contains("note server-restore:data ")
                .doesNotContain("done server-restore:data");

        RestoreReport r = restore.listener(p -> { }).build().restore(dir);

        assertThat(r.allMatch()).isTrue();
        assertThat(server.value("SELECT count() FROM sb3_xapi.xapi_events_all")).isEqualTo("6000");
        assertThat(r.tables()).filteredOn(t -> t.qualifiedName().equals("sb3_event_sink.course_overviews")).singleElement()
                .satisfies(t -> assertThat(t.actualRows()).as("no row restored twice, unmerged duplicates kept").isEqualTo(120));
        assertThat(journal).as("a finished restore leaves no journal").doesNotExist();
    }

    @EachEngine(since = "22.8")
    void rows_written_during_the_servers_backup_fail_it_without_a_manifest(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        server.run("CREATE DATABASE IF NOT EXISTS sb_busy", "CREATE TABLE sb_busy.events (id UInt64) ENGINE = MergeTree ORDER BY id",
                "INSERT INTO sb_busy.events SELECT number FROM numbers(1000)");
        AtomicBoolean inserted = new AtomicBoolean();
        ClickHouseBackup busy = ClickHouseBackup.using(server.admin()).databases(List.of("sb_busy")).serverSide(server.backupFile("busy"))
                .listener(p -> {
                    if (p.current().equals("server-side BACKUP") && !inserted.getAndSet(true)) {
                        server.run("INSERT INTO sb_busy.events VALUES (1000001)");
                    }
                }).build();
        assertThatThrownBy(() -> busy.backup(tmp.resolve("busy"))).isInstanceOf(ArboristException.class)
                .hasMessageContaining("changed while the server wrote its BACKUP").hasMessageContaining("sb_busy.events")
                .hasMessageContaining("Pause ingestion");
        assertThat(tmp.resolve("busy/manifest.json")).doesNotExist();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
