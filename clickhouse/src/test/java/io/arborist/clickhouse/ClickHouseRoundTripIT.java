package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.core.plan.BackupTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseRoundTripIT {
    static final String HASH_EVENTS = "SELECT count(), sum(cityHash64(toString(event_id), emission_time, actor_id, verb_id, ifNull(course_id, 'N'), tags,"
            + " arrayMap(x -> ifNull(x, -1), scores), event)) FROM ";
    static final List<String> SOURCE = List.of("rt_xapi", "rt_event_sink", "rt_reporting");

    static TestClickHouse fixture(TestClickHouse server) {
        return server.once("ClickHouseRoundTripIT", () -> {
            AspectsFixture.create(server, "rt_", 20_000);
            return server;
        });
    }

    @EachEngine
    void round_trip_keeps_every_row_and_checksum_and_does_not_double_fill_materialized_views(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        Path dir = tmp.resolve("backup");
        List<BackupProgress> seen = new CopyOnWriteArrayList<>();
        ClickHouseManifest m = ClickHouseBackup.using(server.secured()).databases(SOURCE).splitPartitionsAbove(0).listener(seen::add).build()
                .backup(dir);

        assertThat(m.serverVersion()).isEqualTo(server.version());
        assertThat(Files.exists(dir.resolve("manifest.json"))).isTrue();
        ManifestObject events = find(m, "rt_xapi.xapi_events_all");
        assertThat(events.rows()).isEqualTo(20_000);
        assertThat(events.chunks()).as("one file per partition").hasSizeGreaterThan(1);
        assertThat(find(m, "rt_event_sink.course_overviews").rows()).as("unmerged duplicates are kept").isEqualTo(120);
        assertThat(find(m, "rt_event_sink.empty_sink").chunks()).isEmpty();
        ManifestObject inner = inner(m, "rt_reporting", "verb_counts");
        assertThat(inner.name()).startsWith(server.modern() ? ".inner_id." : ".inner.verb_counts");
        assertThat(find(m, "rt_reporting.fact_events_mv").kind()).isEqualTo(ObjectKind.MATERIALIZED_VIEW);
        List<ObjectKind> order = m.objects().stream().map(ManifestObject::kind).toList();
        assertThat(order.indexOf(ObjectKind.VIEW)).isGreaterThan(order.lastIndexOf(ObjectKind.TABLE));
        assertThat(names(m).indexOf("rt_reporting.recent_actors")).isGreaterThan(names(m).indexOf("rt_reporting.recent_events"));
        assertThat(seen).isNotEmpty();
        assertThat(ClickHouseVerifier.builder().build().verify(dir).ok()).isTrue();
        if (server.modern()) {
            assertThat(find(m, "rt_reporting.event_attributes").rows()).isEqualTo(4_000);
            assertThat(find(m, "rt_reporting.event_attributes").chunks()).as("Map and JSON columns are hashed").allMatch(c -> !c.hashSum().isEmpty());
            assertThat(find(m, "rt_event_sink.course_enrollment").rows()).isEqualTo(900);
            ManifestObject dict = find(m, "rt_event_sink.course_names_dict");
            assertThat(dict.kind()).isEqualTo(ObjectKind.DICTIONARY);
            assertThat(dict.secretsHidden()).as("the server hides the dictionary's password").isTrue();
            assertThat(dict.ddl()).doesNotContain(AspectsFixture.DICTIONARY_PASSWORD);
        }

        ClickHouseRestore.Builder restore = ClickHouseRestore.using(server.admin()).rename("rt_xapi", "rt2_xapi")
                .rename("rt_event_sink", "rt2_event_sink").rename("rt_reporting", "rt2_reporting");
        AspectsFixture.secrets(server, "rt_").forEach(restore::ddlOverride);
        RestoreReport report = restore.build().restore(dir);

        assertThat(report.allMatch()).isTrue();
        assertThat(report.tables()).extracting(TableCheck::qualifiedName).contains("rt2_xapi.xapi_events_all", "rt2_reporting.fact_events",
                "rt2_event_sink.empty_sink", "rt2_reporting..inner.verb_counts");
        assertThat(server.value(HASH_EVENTS + "rt2_xapi.xapi_events_all")).isEqualTo(server.value(HASH_EVENTS + "rt_xapi.xapi_events_all"));
        assertThat(report.tables()).filteredOn(t -> t.qualifiedName().equals("rt2_event_sink.course_overviews")).singleElement()
                .satisfies(t -> assertThat(t.actualRows()).as("unmerged duplicates restored").isEqualTo(120));
        assertThat(server.value("SELECT count() FROM rt2_reporting.fact_events")).as("TO target not double-filled")
                .isEqualTo(server.value("SELECT count() FROM rt_reporting.fact_events"));
        assertThat(server.value("SELECT sum(n) FROM rt2_reporting.verb_counts")).as("inner table not double-filled").isEqualTo("20000");
        assertThat(server.value("SELECT count() FROM rt2_reporting.recent_actors")).isEqualTo(server.value("SELECT count() FROM rt_reporting.recent_actors"));
        assertThat(server.value("SELECT count() FROM rt2_event_sink.user_profile WHERE name IS NULL")).isEqualTo("167");
        if (server.modern()) {
            String attrs = "SELECT count(), sum(cityHash64(toString(event_id), emission_time, attrs, toString(payload), ifNull(org, 'N'))) FROM ";
            assertThat(server.value(attrs + "rt2_reporting.event_attributes")).isEqualTo(server.value(attrs + "rt_reporting.event_attributes"));
            assertThat(server.value("SELECT toTypeName(payload), toTypeName(org) FROM rt2_reporting.event_attributes LIMIT 1"))
                    .isEqualTo("JSON\tLowCardinality(Nullable(String))");
            assertThat(server.value("SELECT countIf(toString(payload.extra.deep) = 'true') FROM rt2_reporting.event_attributes")).isEqualTo("2000");
            assertThat(server.value("SELECT countIf(is_active), uniqExact(mode) FROM rt2_event_sink.course_enrollment")).isEqualTo("771\t3");
            assertThat(server.value("SELECT count() FROM system.tables WHERE database IN ('rt2_xapi', 'rt2_event_sink', 'rt2_reporting') AND uuid IN"
                    + " (SELECT uuid FROM system.tables WHERE database IN ('rt_xapi', 'rt_event_sink', 'rt_reporting'))"))
                    .as("restored tables have UUIDs of their own").isEqualTo("0");
            assertThat(server.value("SELECT engine, comment FROM system.databases WHERE name = 'rt2_reporting'"))
                    .as("the database keeps its engine and comment").isEqualTo("Atomic\tAspects reporting");
            assertThat(server.value("SELECT create_table_query FROM system.tables WHERE database = 'rt2_event_sink' AND name = 'course_names_dict'"))
                    .contains("rt2_event_sink.course_names_dict").doesNotContain(AspectsFixture.DICTIONARY_PASSWORD)
                    .as("the source's DB follows the rename").contains("DB \\'rt2_event_sink\\'");
        }

        server.run("INSERT INTO rt2_xapi.xapi_events_all (event_id, emission_time, actor_id, verb_id, event) VALUES"
                + " ('61f0c404-5cb3-11e7-907b-a6006ad3dba0', '2024-05-01 00:00:00', 'new', 'v', '{}')");
        assertThat(server.value("SELECT count() FROM rt2_reporting.fact_events WHERE actor_id = 'new'")).as("restored MV fires on new rows").isEqualTo("1");
        assertThat(server.value("SELECT count() FROM rt_reporting.fact_events WHERE actor_id = 'new'")).as("the MV points at the renamed database").isEqualTo("0");
    }

    @EachEngine(since = "22.8")
    void a_dictionary_restored_under_another_name_reads_its_own_database(TestClickHouse server, @TempDir Path tmp) {
        String dict = "CREATE DICTIONARY dict_src.names (k String, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(USER 'default' PASSWORD ''"
                + " DB 'dict_src' QUERY 'SELECT k, v FROM dict_src.names_table WHERE v != \\'\\'')) LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(0)";
        server.run("CREATE DATABASE dict_src", "CREATE TABLE dict_src.names_table (k String, v String) ENGINE = MergeTree ORDER BY k",
                "INSERT INTO dict_src.names_table VALUES ('a', 'in the source')", dict);
        ClickHouseBackup.using(server.admin()).databases(List.of("dict_src")).build().backup(tmp.resolve("d"));

        ClickHouseRestore.using(server.admin()).rename("dict_src", "dict_copy").ddlOverride("dict_src.names", dict).build()
                .restore(tmp.resolve("d"));

        assertThat(server.value("SELECT create_table_query FROM system.tables WHERE database = 'dict_copy' AND name = 'names'"))
                .contains("DB \\'dict_copy\\'").contains("FROM dict_copy.names_table").doesNotContain("dict_src");
        server.run("INSERT INTO dict_copy.names_table VALUES ('b', 'only in the copy')", "SYSTEM RELOAD DICTIONARY dict_copy.names");
        assertThat(server.value("SELECT dictGet('dict_copy.names', 'v', tuple('b'))")).as("it reads the restored table").isEqualTo("only in the copy");
        assertThat(server.value("SELECT dictGet('dict_src.names', 'v', tuple('b'))")).as("the source's dictionary is unchanged").isEmpty();
    }

    @EachEngine
    void hidden_secrets_stop_the_restore_until_the_ddl_is_supplied(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        ClickHouseManifest m = ClickHouseBackup.using(server.admin()).databases(List.of("rt_event_sink")).build().backup(tmp.resolve("b"));
        List<String> hidden = m.objects().stream().filter(ManifestObject::secretsHidden).map(ManifestObject::qualifiedName).toList();
        assertThat(hidden).isEqualTo(List.copyOf(AspectsFixture.secrets(server, "rt_").keySet()));
        if (hidden.isEmpty()) {
            return;
        }
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("rt_event_sink", "rt4_event_sink").build().restore(tmp.resolve("b")))
                .isInstanceOf(ArboristException.class).hasMessageContaining("hid secrets").hasMessageContaining("rt_event_sink.course_names_dict")
                .hasMessageContaining("nothing was restored");
        assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'rt4_event_sink'")).isEqualTo("0");
    }

    @EachEngine
    void small_tables_are_one_file_with_the_same_checksum_as_their_partitions(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        ClickHouseManifest split = ClickHouseBackup.using(server.admin()).databases(List.of("rt_xapi")).splitPartitionsAbove(0).parallelism(1)
                .build().backup(tmp.resolve("split"));
        ClickHouseManifest whole = ClickHouseBackup.using(server.admin()).databases(List.of("rt_xapi")).build().backup(tmp.resolve("whole"));
        ManifestObject parts = find(split, "rt_xapi.xapi_events_all");
        ManifestObject one = find(whole, "rt_xapi.xapi_events_all");
        assertThat(one.chunks()).hasSize(1);
        assertThat(one.chunks().get(0).partitionId()).isEmpty();
        assertThat(one.chunks().get(0).file()).endsWith("/all.native.zst");
        assertThat(one.rows()).isEqualTo(20_000).isEqualTo(parts.rows());
        long sum = 0;
        long xor = 0;
        for (ManifestChunk c : parts.chunks()) {
            sum += Long.parseUnsignedLong(c.hashSum());
            xor ^= Long.parseUnsignedLong(c.hashXor());
        }
        assertThat(Long.toUnsignedString(sum)).isEqualTo(one.chunks().get(0).hashSum());
        assertThat(Long.toUnsignedString(xor)).isEqualTo(one.chunks().get(0).hashXor());
        assertThat(parts.chunks()).extracting(ManifestChunk::rows).allMatch(r -> r > 0);
    }

    @EachEngine
    void is_a_backup_provider_for_the_executor(TestClickHouse server, @TempDir Path tmp) {
        fixture(server);
        ClickHouseBackup provider = ClickHouseBackup.using(server.admin()).databases(List.of("rt_event_sink")).build();
        BackupArtifact a = provider.backup(new BackupRequest("03-backup", BackupTarget.CLICKHOUSE, tmp.resolve("ch")));
        assertThat(a.target()).isEqualTo(BackupTarget.CLICKHOUSE);
        assertThat(a.id()).isEqualTo("03-backup/clickhouse");
        assertThat(a.bytes()).isPositive();
        assertThat(ClickHouseManifest.read(((io.arborist.core.backup.store.Destination.LocalDirectory) a.location()).directory()).objects()).extracting(ManifestObject::name).contains("course_overviews");
    }

    static ManifestObject find(ClickHouseManifest m, String name) {
        return m.objects().stream().filter(o -> o.qualifiedName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + names(m)));
    }

    static ManifestObject inner(ClickHouseManifest m, String database, String view) {
        return m.objects().stream().filter(o -> o.kind() == ObjectKind.INNER_TABLE && o.database().equals(database) && o.innerOf().equals(view))
                .findFirst().orElseThrow(() -> new AssertionError("no inner table of " + database + "." + view + " in " + names(m)));
    }

    static List<String> names(ClickHouseManifest m) {
        return m.objects().stream().map(ManifestObject::qualifiedName).toList();
    }
}
