package io.arborist.clickhouse.internal;

import static io.arborist.clickhouse.internal.TestArchive.XAPI;
import static io.arborist.clickhouse.internal.TestArchive.manifest;
import static io.arborist.clickhouse.internal.TestArchive.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks of a manifest before a restore or a verification changes or reads anything, without a server. */
class ArchiveCheckTest {
    private static final String SHA = "ab".repeat(32);
    private static final String EVENTS = "CREATE TABLE xapi.events (id UInt64) ENGINE = MergeTree ORDER BY id";
    private static final ManifestFile SCHEMA = new ManifestFile("schema/xapi.sql", 8, "cd".repeat(32));

    private static ManifestChunk chunk(String file, String sha, String sum, String xor) {
        return new ManifestChunk(file, "", 3, 10, sha, sum, xor);
    }

    private static ManifestObject events(List<ManifestChunk> chunks) {
        return table("xapi", "events", ObjectKind.TABLE, EVENTS, "", chunks);
    }

    @Test
    void a_manifest_as_a_backup_writes_it_has_no_problem() {
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of(chunk("data/xapi/events/all.native.zst", SHA, "12", "34")))),
                List.of(SCHEMA));
        assertThat(ArchiveCheck.structure(m)).isEmpty();
    }

    @Test
    void hostile_databases_are_refused_one_line_each() {
        ClickHouseManifest m = manifest(List.of(XAPI, new ManifestDatabase("system", "CREATE DATABASE system"), XAPI,
                new ManifestDatabase("", "CREATE DATABASE x"), new ManifestDatabase("INFORMATION_SCHEMA", "CREATE DATABASE x")), List.of(), List.of(SCHEMA));
        assertThat(ArchiveCheck.structure(m)).containsExactly(
                "database system: empty, a system database, or listed twice",
                "database xapi: empty, a system database, or listed twice",
                "database : empty, a system database, or listed twice",
                "database INFORMATION_SCHEMA: empty, a system database, or listed twice");
    }

    @Test
    void objects_outside_the_listed_databases_twice_listed_or_unnamed_are_refused() {
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of()), events(List.of()),
                table("other", "t", ObjectKind.TABLE, "CREATE TABLE other.t (id UInt64) ENGINE = Memory", "", List.of()),
                table("xapi", "", ObjectKind.TABLE, "CREATE TABLE xapi.x (id UInt64) ENGINE = Memory", "", List.of())), List.of(SCHEMA));
        assertThat(ArchiveCheck.structure(m)).containsExactly(
                "xapi.events: an empty name, or listed twice",
                "other.t: in a database the manifest does not list",
                "xapi.: an empty name, or listed twice");
    }

    @Test
    void files_without_a_digest_listed_twice_or_with_a_checksum_that_is_no_number_are_refused() {
        String file = "data/xapi/events/all.native.zst";
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of(chunk(file, SHA, "12", "34"), chunk(file, SHA, "12", "34"),
                chunk("data/xapi/events/2.native.zst", "AB".repeat(32), "", ""), chunk("data/xapi/events/3.native.zst", SHA, "-1", "1e3"),
                chunk("data/xapi/events/4.native.zst", SHA, "1".repeat(21), "")))),
                List.of(SCHEMA, new ManifestFile(file, 10, SHA), new ManifestFile("schema/x.sql", 1, "")));
        assertThat(ArchiveCheck.structure(m)).containsExactly(
                "xapi.events: the data file " + file + " has no SHA-256 or is listed twice",
                "xapi.events: the data file data/xapi/events/2.native.zst has no SHA-256 or is listed twice",
                "xapi.events: a chunk's row-hash checksum is not a number",
                "xapi.events: a chunk's row-hash checksum is not a number",
                "file " + file + ": no SHA-256, or listed twice",
                "file schema/x.sql: no SHA-256, or listed twice");
    }

    @Test
    void a_chunk_without_a_file_is_a_server_side_backups_and_needs_no_digest() {
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of(chunk("", "", "12", "34"), chunk("", "", "12", "34")))), List.of(SCHEMA));
        assertThat(ArchiveCheck.structure(m)).isEmpty();
    }

    @Test
    void a_current_manifest_without_schema_files_was_cut_down() {
        assertThat(ArchiveCheck.structure(manifest(List.of(XAPI), List.of(), List.of())))
                .containsExactly("the manifest lists none of the schema files a format 2 backup has");
        ClickHouseManifest format1 = new ClickHouseManifest(1, Dumper.TOOL, "18.16.1", java.time.Instant.EPOCH, List.of(XAPI), List.of(), List.of(),
                Dumper.CHECKSUM, List.of(), java.util.Optional.empty());
        assertThat(ArchiveCheck.structure(format1)).as("format 1 had no schema files").isEmpty();
    }

    @Test
    void names_from_the_archive_are_shown_on_one_line() {
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(table("xapi\nevil", "t\r", ObjectKind.TABLE, EVENTS, "", List.of())), List.of(SCHEMA));
        assertThat(ArchiveCheck.structure(m)).containsExactly("xapi\\x0aevil.t\\x0d: in a database the manifest does not list");
    }

    @Test
    void the_scope_holds_the_renamed_databases_and_their_tables_only() {
        ClickHouseManifest m = manifest(List.of(XAPI, new ManifestDatabase("reporting", "CREATE DATABASE reporting")), List.of(events(List.of()),
                table("reporting", "v", ObjectKind.VIEW, "CREATE VIEW reporting.v AS SELECT 1", "", List.of()),
                table("reporting", "facts", ObjectKind.TABLE, "CREATE TABLE reporting.facts (id UInt64) ENGINE = Memory", "", List.of())),
                List.of(SCHEMA));
        DdlPolicy.Scope scope = ArchiveCheck.scope(m, Map.of("xapi", "xapi2", "absent", "x"), Set.of("other"));
        assertThat(scope.databases()).containsExactlyInAnyOrderEntriesOf(Map.of("xapi", "xapi2", "reporting", "reporting"));
        assertThat(scope.tables()).containsExactlyInAnyOrder("xapi2.events", "reporting.facts");
    }

    @Test
    void statements_are_renamed_and_sorted_into_tampering_objects_reaching_outside_and_reads_outside() {
        ManifestObject url = table("xapi", "web", ObjectKind.TABLE, "CREATE TABLE xapi.web (x String) ENGINE = URL('http://evil/', CSV)", "", List.of());
        ManifestObject dropper = table("xapi", "t", ObjectKind.TABLE, "DROP TABLE xapi.events", "", List.of());
        ManifestObject reader = table("xapi", "v", ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT id FROM other.t JOIN xapi.events USING (id)", "",
                List.of());
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of()), url, dropper, reader), List.of(SCHEMA));

        ArchiveCheck.Statements s = ArchiveCheck.statements(m, ArchiveCheck.scope(m, Map.of("xapi", "xapi2"), Set.of()), Map.of(), Set.of());

        assertThat(s.databases()).containsOnlyKeys("xapi");
        assertThat(s.databases().get("xapi")).contains("xapi2").doesNotContain("xapi ");
        assertThat(s.objects()).containsOnlyKeys(m.objects().get(0), reader);
        assertThat(s.objects().get(m.objects().get(0))).startsWith("CREATE TABLE xapi2.events");
        assertThat(s.objects().get(reader)).contains("JOIN xapi2.events").contains("other.t");
        assertThat(s.problems()).singleElement().asString().startsWith("xapi.t: its DDL ");
        assertThat(s.outside()).singleElement().asString().startsWith("xapi.web: ").contains("URL");
        assertThat(s.outsideReads()).containsExactly("xapi.v: reads other.t, outside the restored databases");
        assertThat(s.outsideDatabases()).containsExactly("other");
    }

    @Test
    void skipped_objects_and_their_inner_tables_are_neither_checked_nor_run_and_overrides_replace_hidden_ddl() {
        ManifestObject mv = table("xapi", "mv", ObjectKind.MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW xapi.mv ENGINE = Memory AS SELECT * FROM url('http://e/', CSV)",
                "", List.of());
        ManifestObject inner = table("xapi", ".inner.mv", ObjectKind.INNER_TABLE, "DROP TABLE xapi.events", "mv", List.of());
        ManifestObject hidden = new ManifestObject("xapi", "d", ObjectKind.DICTIONARY, "Dictionary", "CREATE DICTIONARY xapi.d [HIDDEN]", true, "", List.of());
        ClickHouseManifest m = manifest(List.of(XAPI), List.of(events(List.of()), mv, inner, hidden), List.of(SCHEMA));
        String full = "CREATE DICTIONARY xapi.d (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(DB 'xapi' TABLE 'events')) LAYOUT(HASHED())"
                + " LIFETIME(0)";

        ArchiveCheck.Statements s = ArchiveCheck.statements(m, ArchiveCheck.scope(m, Map.of(), Set.of()), Map.of("xapi.d", full), Set.of("xapi.mv"));

        assertThat(s.problems()).isEmpty();
        assertThat(s.outside()).isEmpty();
        assertThat(s.objects()).containsOnlyKeys(m.objects().get(0), hidden);
        assertThat(s.objects().get(hidden)).contains("SOURCE(CLICKHOUSE(DB 'xapi' TABLE 'events'))");

        ArchiveCheck.Statements unskipped = ArchiveCheck.statements(m, ArchiveCheck.scope(m, Map.of(), Set.of()), Map.of("xapi.d", full), Set.of());
        assertThat(unskipped.outside()).singleElement().asString().startsWith("xapi.mv: ");
        assertThat(unskipped.problems()).as("an inner table is checked, though never run itself").singleElement().asString()
                .startsWith("xapi..inner.mv: its DDL ");
        assertThat(unskipped.objects()).doesNotContainKey(inner);
    }
}
