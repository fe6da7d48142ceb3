package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.cli.ArboristCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI commands that need servers (snapshot, run with real backups), against the shared real servers. */
class CliWithServersIT {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void snapshot_then_compare_finds_no_loss_and_then_a_loss() throws Exception {
        String mysql = Servers.mysql().url();
        String ch = Servers.clickhouse().admin().url().toString();
        Path before = dir.resolve("before.json");

        Result snap = cli("snapshot", "--mysql-url", mysql, "--clickhouse-url", ch, "--out", before.toString());

        assertThat(snap.status()).as(snap.err()).isZero();
        assertThat(snap.out()).contains("snapshot of mysql " + mysql + "/edxapp + clickhouse " + ch);
        assertThat(Files.readString(before)).contains("\"area\" : \"certificates\"").contains("\"area\" : \"xapi.events\"");
        Path same = dir.resolve("same.json");
        cli("snapshot", "--mysql-url", mysql, "--clickhouse-url", ch, "--out", same.toString());
        assertThat(cli("compare", before.toString(), same.toString()).status()).isZero();

        Servers.sql("DELETE FROM edxapp.grades_persistentcoursegrade WHERE id = 600");
        try {
            Path after = dir.resolve("after.json");
            cli("snapshot", "--mysql-url", mysql, "--out", after.toString());
            Result compare = cli("compare", before.toString(), after.toString());
            assertThat(compare.status()).isEqualTo(1);
            assertThat(compare.out()).contains("## Losses").contains("grades course-v1:Org+C0+2024: 150 -> 149 (-1)");
        } finally {
            Servers.sql("INSERT INTO edxapp.grades_persistentcoursegrade VALUES (600, 'course-v1:Org+C0+2024', 600, 0, NOW(6))");
        }
    }

    @Test
    void backup_verify_and_restore_a_single_tar_archive() throws Exception {
        String mysql = Servers.mysql().url();
        Path tar = dir.resolve("edxapp.tar");
        Servers.sql("DROP DATABASE IF EXISTS edxapp_tar");

        Result backup = cli("backup", "mysql", "--url", mysql, "--databases", "edxapp", "--out", tar.toString());

        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("backup complete: " + tar).contains("5 tables");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("edxapp.tar");
        }
        Result verify = cli("verify", tar.toString());
        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("archive OK: " + tar + " (MySQL").contains("edxapp.auth_user: 300 rows");
        assertThat(cli("backup", "mysql", "--url", mysql, "--databases", "edxapp", "--out", tar.toString()).err())
                .contains(tar.toString()).contains("already exists");
        try {
            Result restore = cli("restore", "mysql", "--url", mysql, "--from", tar.toString(),
                    "--rename", "edxapp=edxapp_tar");
            assertThat(restore.status()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("restore complete")
                    .contains("edxapp_tar.completion_blockcompletion: 5000 rows, checksum ok");
            assertThat(dir.resolve("edxapp.tar.restore-journal.log")).doesNotExist();
        } finally {
            Servers.sql("DROP DATABASE IF EXISTS edxapp_tar");
        }
    }

    @Test
    void run_takes_real_backups_at_backup_steps() throws Exception {
        Path plan = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "quince", "--aspects", "1.3.2", "--to", "quince", "--aspects-to", "1.3.2", "--format", "json",
                "--out", plan.toString()).status()).isEqualTo(2);
        assertThat(cli("plan", "--from", "palm", "--aspects", "1.3.2", "--to", "quince", "--format", "json", "--out", plan.toString()).status())
                .isZero();

        Result run = cli("run", "--plan", plan.toString(), "--journal", dir.resolve("j").toString(), "--dry-run", "--yes",
                "--mysql-url", Servers.mysql().url(), "--mysql-databases", "edxapp",
                "--clickhouse-url", Servers.clickhouse().admin().url().toString(), "--clickhouse-databases", "xapi",
                "--backup-dir", dir.resolve("backups").toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Backups kept").contains("02-quince-backup/mysql").contains("tutor local launch -I");
        // Each run's backups live in a directory of its own, named in the journal and shown at the end of the run.
        Path mysql = Path.of(run.out().lines().filter(l -> l.strip().startsWith("02-quince-backup/mysql ")).findFirst().orElseThrow()
                .strip().split("\\s+")[1]);
        assertThat(mysql.getParent().getParent().getParent()).isEqualTo(dir.resolve("backups"));
        assertThat(mysql.resolve("manifest.json")).exists();
        assertThat(Files.list(mysql.resolveSibling("clickhouse")).count()).isPositive();
        assertThat(cli("verify", mysql.toString()).status()).isZero();
    }
}
