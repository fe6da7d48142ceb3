package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restore decides before it connects or changes anything: reading the manifest and the preflight. No server. */
class LoaderTest {
    private static final ClickHouseEndpoint ENDPOINT = ClickHouseEndpoint.of("http://127.0.0.1:8123", Credentials.of("u", new char[0]));

    @TempDir
    Path dir;

    private static Loader loader(Map<String, String> renames, Map<String, String> overrides, Set<String> skipped) {
        return new Loader(new Loader.Settings(ENDPOINT, renames, ConflictPolicy.FAIL, Optional.empty(), Optional.empty(), BackupListener.NONE,
                Duration.ofMinutes(1), overrides, Optional.empty(), Set.of(), skipped, false));
    }

    private ArchiveCheck.Statements preflight(Loader loader) {
        try (ArchiveSource source = ArchiveSource.directory(dir, Optional.empty())) {
            return loader.preflight(source, OpenedArchive.open(source, Optional.empty()));
        }
    }

    private static ArboristException refusal(ErrorKind kind, Runnable r) {
        try {
            r.run();
        } catch (ArboristException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void a_sound_archive_passes_with_the_statements_renamed() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1, 2, 3}).write(false);
        ArchiveCheck.Statements s = preflight(loader(Map.of("xapi", "xapi2"), Map.of(), Set.of()));
        assertThat(s.objects().values()).singleElement().asString().startsWith("CREATE TABLE xapi2.events");
    }

    @Test
    void renames_and_skips_naming_nothing_in_the_backup_are_a_configuration_error_first() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1, 2, 3}).write(false);
        Files.delete(dir.resolve("data/xapi/events/all.native.zst"));
        ArboristException e = refusal(ErrorKind.CONFIGURATION, () -> preflight(loader(Map.of("xapy", "x", "abc", "y"), Map.of(),
                new LinkedHashSet<>(List.of("xapi.evnts")))));
        assertThat(e.getMessage()).isEqualTo("rename: the backup has no database abc (it has [xapi]); rename: the backup has no database xapy (it has"
                + " [xapi]); skip: the backup has no object xapi.evnts; nothing was restored");
    }

    @Test
    void missing_and_resized_files_and_tampered_ddl_are_listed_together() throws IOException {
        TestArchive archive = new TestArchive(dir).table("events", new byte[] {1, 2, 3}).table("facts", new byte[] {4, 5});
        archive.object("xapi", "t", ObjectKind.TABLE, "DROP TABLE xapi.events").write(false);
        Files.delete(dir.resolve("data/xapi/events/all.native.zst"));
        Files.write(dir.resolve("data/xapi/facts/all.native.zst"), new byte[] {4, 5, 6});

        ArboristException e = refusal(ErrorKind.VERIFICATION, () -> preflight(loader(Map.of(), Map.of(), Set.of())));

        assertThat(e.getMessage().lines()).hasSize(4).first().asString().isEqualTo("backup " + dir + " is damaged or was edited; nothing was restored");
        assertThat(e.getMessage()).contains("\ndata/xapi/events/all.native.zst is missing\n")
                .contains("\ndata/xapi/facts/all.native.zst has 3 bytes, the manifest says 2 (truncated or replaced)\n")
                .contains("\nxapi.t: its DDL ");
    }

    @Test
    void a_skipped_objects_missing_file_is_not_needed() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1, 2, 3}).table("facts", new byte[] {4}).write(false);
        Files.delete(dir.resolve("data/xapi/facts/all.native.zst"));
        assertThat(preflight(loader(Map.of(), Map.of(), Set.of("xapi.facts"))).objects()).hasSize(1);
    }

    @Test
    void a_data_chunk_without_a_file_outside_a_server_side_backup_is_damage() throws IOException {
        new TestArchive(dir).object(TestArchive.table("xapi", "events", ObjectKind.TABLE, "CREATE TABLE xapi.events (id UInt64) ENGINE = Memory", "",
                List.of(new ManifestChunk("", "", 3, 0, "", "1", "2")))).write(false);
        assertThat(refusal(ErrorKind.VERIFICATION, () -> preflight(loader(Map.of(), Map.of(), Set.of()))).getMessage())
                .endsWith("\nxapi.events: a chunk has no data file and the manifest names no server-side backup");
    }

    @Test
    void objects_reaching_outside_and_reads_outside_are_refused_with_what_to_do() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1})
                .object("xapi", "web", ObjectKind.TABLE, "CREATE TABLE xapi.web (x String) ENGINE = URL('http://evil/', CSV)")
                .object("xapi", "v", ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT id FROM other.t").write(false);

        ArboristException e = refusal(ErrorKind.RESTORE, () -> preflight(loader(Map.of(), Map.of(), Set.of())));

        assertThat(e.getMessage()).startsWith("backup " + dir + " holds objects this restore does not create; nothing was restored\nxapi.web: ")
                .contains("\nxapi.v: reads other.t, outside the restored databases\n")
                .endsWith("skip them (skip, --skip DB.NAME) and create them by hand after the restore; allow the reads (allowReadsFrom,"
                        + " --allow-reads-from other) if those databases are meant to be read");
        assertThat(preflight(loader(Map.of(), Map.of(), Set.of("xapi.web", "xapi.v"))).objects()).hasSize(1);
    }

    @Test
    void hidden_secrets_need_the_full_ddl() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1}).object(new ManifestObject("xapi", "d", ObjectKind.DICTIONARY, "Dictionary",
                "CREATE DICTIONARY xapi.d (k UInt64) PRIMARY KEY k SOURCE(CLICKHOUSE(DB 'xapi' TABLE 'events' PASSWORD '[HIDDEN]')) LAYOUT(HASHED())"
                        + " LIFETIME(0)", true, "", List.of())).write(false);

        assertThat(refusal(ErrorKind.RESTORE, () -> preflight(loader(Map.of(), Map.of(), Set.of()))).getMessage()).isEqualTo("the source server hid"
                + " secrets in the DDL of [xapi.d]; supply each full CREATE statement with ddlOverride(name, ddl); nothing was restored");

        String full = "CREATE DICTIONARY xapi.d (k UInt64) PRIMARY KEY k SOURCE(CLICKHOUSE(DB 'xapi' TABLE 'events')) LAYOUT(HASHED()) LIFETIME(0)";
        assertThat(preflight(loader(Map.of(), Map.of("xapi.d", full), Set.of())).objects()).hasSize(2);
    }

    @Test
    void with_a_key_an_unsealed_or_edited_manifest_is_refused_before_it_is_parsed() throws IOException {
        new TestArchive(dir).table("events", new byte[] {1}).write(false);
        try (ArchiveSource source = ArchiveSource.directory(dir, Optional.empty())) {
            assertThat(OpenedArchive.open(source, Optional.empty()).seal().authenticated()).isFalse();
            assertThat(refusal(ErrorKind.VERIFICATION, () -> OpenedArchive.open(source, Optional.of(TestArchive.KEY))).getMessage())
                    .startsWith("backup " + dir + " is not authenticated by the given key: ").endsWith("; nothing was restored");
        }
        Path sealed = dir.resolve("sealed");
        Files.createDirectories(sealed);
        new TestArchive(sealed).table("events", new byte[] {1}).write(true);
        try (ArchiveSource source = ArchiveSource.directory(sealed, Optional.empty())) {
            OpenedArchive a = OpenedArchive.open(source, Optional.of(TestArchive.KEY));
            assertThat(a.seal().authenticated()).isTrue();
            assertThat(a.manifest().objects()).hasSize(1);
        }
        Path manifest = sealed.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"events\"", "\"evil\""));
        try (ArchiveSource source = ArchiveSource.directory(sealed, Optional.empty())) {
            assertThatThrownBy(() -> OpenedArchive.open(source, Optional.of(TestArchive.KEY))).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("is not authenticated by the given key");
        }
    }

    @Test
    void objects_in_the_way_are_those_the_backup_does_not_have_inner_tables_aside() {
        Set<String> existing = new LinkedHashSet<>(List.of("xapi.events", "xapi.old", "xapi..inner.mv", "xapi..inner_id.0b1c", "xapi.z"));
        assertThat(Loader.others(existing, Set.of("xapi.events", "xapi.z"))).containsExactly("xapi.old");
        assertThat(Loader.others(existing, existing)).isEmpty();
    }

    @Test
    void the_expected_row_hash_sums_the_chunks_unsigned_or_is_absent_when_one_chunk_has_none() {
        ManifestChunk a = new ManifestChunk("a", "p1", 1, 1, "", "18446744073709551615", "5");
        ManifestChunk b = new ManifestChunk("b", "p2", 1, 1, "", "2", "3");
        assertThat(Loader.expectedHash(List.of(a, b))).contains("1/6");
        assertThat(Loader.expectedHash(List.of())).contains("0/0");
        assertThat(Loader.expectedHash(List.of(a, new ManifestChunk("c", "", 1, 1, "", "", "")))).isEmpty();
    }
}
