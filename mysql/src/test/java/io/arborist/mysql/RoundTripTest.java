package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.plan.BackupTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    private DbServer server;

    @BeforeEach
    void on(DbServer server) {
        this.server = server;
    }

    @EachServer
    void trapSchemaRoundTripsExactlyUnderAnotherName(@TempDir Path tmp) throws Exception {
        TrapSchema.create(server, "trap_src");
        List<BackupProgress> events = new CopyOnWriteArrayList<>();
        MySqlArchive archive = MySqlBackup.using(server.url(), Credentials.of("root", new char[0]))
                .databases("trap_src").parallelism(2).chunkRows(4_000).listener(events::add).build()
                .backup(tmp.resolve("archive"));

        assertThat(archive.consistency()).isEqualTo(server.consistency());
        assertThat(archive.flavour()).isEqualTo(server.kind().flavour());
        assertThat(archive.features()).contains("generated-columns", "invisible-columns", "collation:utf8mb4_unicode_ci",
                "collation:latin1_swedish_ci");
        if (server.isMySql()) {
            assertThat(archive.features()).contains("json-columns", "generated-invisible-primary-keys",
                    "collation:utf8mb4_0900_ai_ci", "lock:LOCK INSTANCE FOR BACKUP", "binlog:SHOW MASTER STATUS");
            assertThat(archive.binlogPosition()).matches("binlog\\.\\d+:\\d+");
        }
        assertThat(archive.tables()).extracting(ArchivedTable::table)
                .contains("types", "select", "tablé_ü", "composite", "a_child", "z_parent", "empty_table", "big_row", "chunked");
        assertThat(archive.tables().stream().filter(t -> t.table().equals("chunked")).findFirst().orElseThrow().chunks()).isGreaterThan(3);
        // tables without an integer key are split into files of chunkRows rows
        assertThat(archive.tables().stream().filter(t -> t.table().equals("django_session")).findFirst().orElseThrow().chunks()).isEqualTo(3);
        assertThat(archive.tables().stream().filter(t -> t.table().equals("no_key")).findFirst().orElseThrow().chunks()).isEqualTo(3);
        assertThat(archive.tables().stream().filter(t -> t.table().equals("no_key")).findFirst().orElseThrow().rows()).isEqualTo(9000);
        assertThat(archive.objects()).containsSubsequence("VIEW trap_src.b_view", "VIEW trap_src.a_view", "VIEW trap_src.vüe");
        assertThat(archive.objects()).contains("FUNCTION trap_src.plus_one", "PROCEDURE trap_src.count_types",
                "TRIGGER trap_src.chunked_bi", "EVENT trap_src.nightly");
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).tablesDone()).isEqualTo(archive.tables().size());
        assertThat(MySqlArchive.verify(archive.directory()).rows()).isEqualTo(archive.rows());

        RestoreReport report = MySqlRestore.using(server.url(), Credentials.of("root", new char[0]))
                .rename("trap_src", "trap_dst").parallelism(2).build().restore(archive.directory());

        assertThat(report.allMatch()).isTrue();
        assertThat(report.tables()).hasSize(archive.tables().size());
        TrapSchema.assertSameContent(server, "trap_src", "trap_dst");
        String hidden = "SELECT GROUP_CONCAT(CONCAT_WS(':', a, b, hidden) ORDER BY a, b) FROM %s.composite";
        assertThat(TrapSchema.list(server, String.format(hidden, "trap_dst"))).containsExactly("1:x:7,1:y:10,2:x:7")
                .isEqualTo(TrapSchema.list(server, String.format(hidden, "trap_src")));
        if (server.isMySql()) {
            // the generated invisible primary key came back with its values, as the column it is
            String gipk = "SELECT GROUP_CONCAT(CONCAT_WS(':', my_row_id, v) ORDER BY my_row_id) FROM %s.gipk";
            assertThat(TrapSchema.list(server, String.format(gipk, "trap_dst"))).containsExactly("2:b,3,4:c");
        }
        // the restored objects work and point at the renamed database
        server.sql("USE trap_dst", "INSERT INTO chunked (id, g) VALUES (1, 1)");
        assertThat(TrapSchema.count(server, "trap_dst.chunked WHERE note = 'trigger'")).isEqualTo(1);
        assertThat(TrapSchema.count(server, "trap_dst.`vüe`")).isEqualTo(TrapSchema.count(server, "trap_src.`vüe`") + 1);
        assertThat(TrapSchema.count(server, "trap_src.chunked WHERE note = 'trigger'")).isZero();
        // the journal was closed
        assertThat(archive.directory().resolve("restore-journal.log")).doesNotExist();
    }

    @EachServer
    void theExecutorsBackupRequestWorks(@TempDir Path tmp) throws Exception {
        server.sql("DROP DATABASE IF EXISTS exec_src", "CREATE DATABASE exec_src",
                "CREATE TABLE exec_src.t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO exec_src.t VALUES (1, 'a'), (2, 'b')");
        MySqlBackup provider = MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases("exec_src").build();
        Path dir = tmp.resolve("step");
        Files.createDirectories(dir);

        BackupArtifact artifact = provider.backup(new BackupRequest("02-backup", BackupTarget.MYSQL, dir));

        assertThat(artifact.id()).isEqualTo("02-backup/mysql");
        assertThat(artifact.target()).isEqualTo(BackupTarget.MYSQL);
        assertThat(artifact.location()).isEqualTo(new io.arborist.core.backup.store.Destination.LocalDirectory(dir));
        assertThat(artifact.bytes()).isPositive();
        assertThat(MySqlArchive.verify(dir).rows()).isEqualTo(2);
        assertThat(provider.toString()).doesNotContain("password");
    }
}
