package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a restore keeps its journal, and what an unfinished one says: without a server. */
class JournalsTest {
    private static final ClickHouseEndpoint ENDPOINT = ClickHouseEndpoint.of("http://127.0.0.1:8123", Credentials.of("u", new char[0]));

    @TempDir
    Path tmp;

    @Test
    void the_default_journal_is_next_to_the_backup_never_inside_it() {
        Path backup = tmp.resolve("backups/aspects");
        assertThat(Journals.defaultJournal(backup)).isEqualTo(tmp.resolve("backups/aspects.restore.journal"));
        assertThat(Journals.defaultJournal(tmp.resolve("backups/./aspects/"))).as("normalized").isEqualTo(tmp.resolve("backups/aspects.restore.journal"));
        assertThat(Journals.defaultJournal(Path.of("/"))).isEqualTo(Path.of("/restore.journal"));
        try (ArchiveSource source = ArchiveSource.directory(backup, Optional.empty())) {
            assertThat(Journals.file(Optional.empty(), source)).isEqualTo(tmp.resolve("backups/aspects.restore.journal"));
            assertThat(Journals.file(Optional.of(tmp.resolve("mine.journal")), source)).isEqualTo(tmp.resolve("mine.journal"));
        }
    }

    @Test
    void a_journal_that_changed_nothing_or_none_at_all_is_no_unfinished_restore() {
        Path file = tmp.resolve("r.journal");
        assertThat(Journals.partial(file)).isEmpty();
        try (RestoreJournal j = RestoreJournal.open(file, "http://h:8123", "rename={} manifest=0123456789abcdef", List.of("xapi"))) {
            assertThat(j.resumed()).isFalse();
        }
        assertThat(file).as("nothing recorded, nothing written").doesNotExist();
        assertThat(Journals.partial(file)).isEmpty();
    }

    @Test
    void an_unfinished_restore_lists_what_it_created_and_where_it_stopped() {
        Path file = tmp.resolve("r.journal");
        try (RestoreJournal j = RestoreJournal.open(file, "http://h:8123", "rename={} manifest=0123456789abcdef", List.of("xapi2"))) {
            j.done("created-database:xapi2");
            j.done("database:xapi2");
            j.begin("create:xapi2.z_events");
            j.done("create:xapi2.z_events");
            j.begin("create:xapi2.a_facts");
            j.done("create:xapi2.a_facts");
            j.done("existing:xapi2.kept");
            j.begin("data:xapi2.z_events:data/xapi/z_events/all.native.zst");
            j.done("data:xapi2.z_events:data/xapi/z_events/all.native.zst");
            j.begin("data:xapi2.a_facts:data/xapi/a_facts/1.native.zst");
        }

        PartialRestore p = Journals.partial(file).orElseThrow();

        assertThat(p.journal()).isEqualTo(file);
        assertThat(p.target()).isEqualTo("http://h:8123");
        assertThat(p.databases()).containsExactly("xapi2");
        assertThat(p.created()).as("databases first, then the objects begun, sorted").containsExactly("xapi2", "xapi2.a_facts", "xapi2.z_events");
        assertThat(p.interrupted()).containsExactly("data:xapi2.a_facts:data/xapi/a_facts/1.native.zst");
        assertThat(p.filesLoaded()).isEqualTo(1);
        assertThat(p.describe()).contains("1 data files loaded").contains("3 object(s) created");
    }

    @Test
    void a_server_side_restore_names_the_objects_of_its_restore_as_one() throws Exception {
        Path file = tmp.resolve("r.journal");
        try (RestoreJournal j = RestoreJournal.open(file, "http://h:8123", "s", List.of("xapi"))) {
            j.begin("server-restore:structure");
            j.note("server-restore:structure", "op-1");
        }
        assertThat(Journals.partial(file).orElseThrow().created()).containsExactly("the objects of the server-side RESTORE");
        assertThat(Files.readString(file)).contains("op-1");
    }

    @Test
    void a_journal_is_the_restores_of_this_archive_with_these_renames_into_this_server() throws Exception {
        Path backup = tmp.resolve("aspects");
        Files.createDirectories(backup);
        new TestArchive(backup).table("events", new byte[] {1, 2, 3}).write(false);
        Path journal = Journals.defaultJournal(backup);
        try (ArchiveSource source = ArchiveSource.directory(backup, Optional.empty())) {
            OpenedArchive a = OpenedArchive.open(source, Optional.empty());
            try (RestoreJournal j = Journals.open(Optional.empty(), source, ENDPOINT, Map.of("xapi", "xapi2"), a)) {
                j.begin("create:xapi2.events");
            }
            assertThat(Files.readString(journal)).contains("http://127.0.0.1:8123").contains("rename={xapi=xapi2} manifest=" + a.digest().substring(0, 16))
                    .contains("xapi2");
            try (RestoreJournal same = Journals.open(Optional.empty(), source, ENDPOINT, Map.of("xapi", "xapi2"), a)) {
                assertThat(same.resumed()).isTrue();
                assertThat(same.interrupted("create:xapi2.events")).isTrue();
            }
            assertThatThrownBy(() -> Journals.open(Optional.empty(), source, ENDPOINT, Map.of("xapi", "xapi3"), a))
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.JOURNAL))
                    .hasMessageContaining("belongs to an unfinished restore");
        }
    }
}
