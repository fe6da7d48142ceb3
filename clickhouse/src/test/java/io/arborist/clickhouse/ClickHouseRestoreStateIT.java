package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.clickhouse.internal.Journals;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** What a restore leaves behind: refusals into databases with other objects, partial targets, cleanup, journals. */
class ClickHouseRestoreStateIT {
    @TempDir
    static Path shared;

    static Path copy(TestClickHouse server, Path to) throws Exception {
        return ClickHouseFaultsIT.copy(ClickHouseArchiveSecurityIT.backup(server, shared, "ClickHouseRestoreStateIT"), to);
    }

    static String tables(TestClickHouse server, String db) {
        return server.value("SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM system.tables WHERE database = '" + db
                + "' ORDER BY name)");
    }

    @EachEngine
    void a_restore_into_a_database_holding_other_objects_is_refused_unless_allowed(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("busy"));
        server.run("DROP DATABASE IF EXISTS sec_busy", "CREATE DATABASE sec_busy", "CREATE TABLE sec_busy.keep (x UInt8) ENGINE = MergeTree ORDER BY x",
                "INSERT INTO sec_busy.keep VALUES (1), (2)");

        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_busy").build().restore(dir))
                .isInstanceOf(ArboristException.class).hasMessageContaining("already hold 1 object(s) the backup does not have: [sec_busy.keep]")
                .hasMessageContaining("nothing was restored").hasMessageContaining("--allow-other-objects")
                .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.RESTORE));
        assertThat(tables(server, "sec_busy")).isEqualTo("keep");
        assertThat(Journals.defaultJournal(dir)).doesNotExist();

        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_busy").allowOtherObjects(true).build().restore(dir);

        assertThat(r.allMatch()).isTrue();
        assertThat(tables(server, "sec_busy")).isEqualTo("counts,counts_mv,events,keep,recent");
        assertThat(server.value("SELECT count() FROM sec_busy.keep")).isEqualTo("2");
        server.run("DROP DATABASE sec_busy");
    }

    @EachEngine
    void a_failed_restore_is_named_partial_until_resumed_or_cleaned_up_and_cleanup_drops_only_what_it_created(TestClickHouse server, @TempDir Path tmp)
            throws Exception {
        Path dir = copy(server, tmp.resolve("partial"));
        server.run("DROP DATABASE IF EXISTS sec_part", "DROP DATABASE IF EXISTS sec_part_views", "CREATE DATABASE sec_part");
        ClickHouseRestore failing = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_part").listener(p -> {
            if (p.operation().equals("restore") && p.rowsDone() > 0) {
                throw new IllegalStateException("the restore stopped after its first file");
            }
        }).build();
        assertThatThrownBy(() -> failing.restore(dir)).hasMessageContaining("stopped after its first file");
        assertThat(tables(server, "sec_part")).isEqualTo("counts,events");

        PartialRestore p = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_part").build().unfinished(dir).orElseThrow();
        assertThat(p.target()).isEqualTo(server.url());
        assertThat(p.databases()).containsExactly("sec_part");
        assertThat(p.created()).containsExactly("sec_part.counts", "sec_part.events");
        assertThat(p.interrupted()).isEmpty();
        assertThat(ClickHouseVerifier.builder().build().verify(dir).notes()).anySatisfy(n -> assertThat(n).startsWith("partial restore into " + server.url())
                .contains("2 object(s) created").contains("--cleanup"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_part_views").build().restore(dir))
                .as("an unfinished restore blocks a restore to another target until it is resumed or cleaned up")
                .hasMessageContaining("belongs to an unfinished restore into " + server.url()).hasMessageContaining("--cleanup");
        assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'sec_part_views'")).isEqualTo("0");

        RestoreCleanup c = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_part").build().cleanup(dir);

        assertThat(c.dropped()).containsExactly("sec_part.events", "sec_part.counts");
        assertThat(c.kept()).isEmpty();
        assertThat(tables(server, "sec_part")).as("the database existed before: only the restore's objects go").isEmpty();
        assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'sec_part'")).isEqualTo("1");
        assertThat(server.value("SELECT count() FROM sec_other.t")).isEqualTo("10");
        assertThat(Journals.defaultJournal(dir)).doesNotExist();
        assertThat(ClickHouseRestore.using(server.admin()).build().unfinished(dir)).isEmpty();

        RestoreReport r = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_part_views").build().restore(dir);
        assertThat(r.allMatch()).isTrue();
        assertThat(Journals.defaultJournal(dir)).as("a finished restore leaves no journal").doesNotExist();
        server.run("DROP DATABASE sec_part", "DROP DATABASE sec_part_views");
    }

    @EachEngine
    void cleanup_drops_a_database_the_restore_created_and_resume_finishes_a_partial_one(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("created"));
        server.run("DROP DATABASE IF EXISTS sec_new");
        ClickHouseRestore.Builder restore = ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_new");
        ClickHouseRestore failing = restore.listener(p -> {
            if (p.operation().equals("restore") && p.rowsDone() > 0) {
                throw new IllegalStateException("stopped");
            }
        }).build();
        assertThatThrownBy(() -> failing.restore(dir)).hasMessageContaining("stopped");

        RestoreCleanup c = restore.listener(p -> { }).build().cleanup(dir);
        assertThat(c.dropped()).containsExactly("sec_new.events", "sec_new.counts", "sec_new");
        assertThat(server.value("SELECT count() FROM system.databases WHERE name = 'sec_new'")).isEqualTo("0");

        assertThatThrownBy(() -> failing.restore(dir)).hasMessageContaining("stopped");
        RestoreReport r = restore.build().restore(dir);
        assertThat(r.allMatch()).isTrue();
        assertThat(r.filesSkipped()).as("the file loaded before the stop is not loaded again").isEqualTo(1);
        assertThat(server.value("SELECT count() FROM sec_new.events")).isEqualTo("3000");
        assertThat(Journals.defaultJournal(dir)).doesNotExist();
        server.run("DROP DATABASE sec_new");
    }

    @EachEngine
    void refused_and_unreachable_restores_leave_no_journal(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("nojournal"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).build().restore(dir)).as("the source exists: a conflict")
                .hasMessageContaining("already exist");
        assertThat(Journals.defaultJournal(dir)).doesNotExist();
        int port = TestClickHouse.freePort();
        assertThatThrownBy(() -> ClickHouseRestore.using(ClickHouseEndpoint.of("http://127.0.0.1:" + port, Credentials.of("default", new char[0]))).build().restore(dir))
                .hasMessageContaining("cannot reach ClickHouse");
        assertThat(Journals.defaultJournal(dir)).doesNotExist();
        assertThat(ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_after").build().restore(dir).allMatch()).isTrue();
        assertThat(Files.list(tmp).map(f -> f.getFileName().toString()).toList()).as("only the finished restore's retired journal")
                .hasSize(2).contains("nojournal").anySatisfy(n -> assertThat(n).matches("nojournal\\.restore\\.\\d+\\.done"));
        server.run("DROP DATABASE sec_after");
    }

    @EachEngine
    void a_journal_others_may_write_is_not_trusted(TestClickHouse server, @TempDir Path tmp) throws Exception {
        Path dir = copy(server, tmp.resolve("planted"));
        Path journal = Journals.defaultJournal(dir);
        Files.writeString(journal, "arborist-restore-journal anything\ndone create:sec_other.t\n");
        Files.setPosixFilePermissions(journal, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> ClickHouseRestore.using(server.admin()).rename("sec_src", "sec_planted").build().cleanup(dir))
                .hasMessageContaining("writable by another user");
        assertThat(server.value("SELECT count() FROM sec_other.t")).isEqualTo("10");
        assertThat(List.of(Files.readAllLines(journal).size())).containsExactly(2);
    }
}
