package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.cli.ArboristCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.EachServer;
import io.arborist.mysql.ServerKind;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The CLI commands that need servers (snapshot, run with real backups), against the shared real servers: each MySQL-family one. */
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

    @EachServer
    void snapshot_then_compare_finds_no_loss_and_then_a_loss(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        String mysql = server.url();
        String ch = Servers.clickhouse().admin().url().toString();
        Path before = dir.resolve("before.json");

        Result snap = cli("snapshot", "--mysql-url", mysql, "--clickhouse-url", ch, "--out", before.toString());

        assertThat(snap.status()).as(snap.err()).isZero();
        assertThat(snap.out()).contains("snapshot of mysql " + mysql + "/edxapp + clickhouse " + ch);
        assertThat(Files.readString(before)).contains("\"area\" : \"certificates\"").contains("\"area\" : \"xapi.events\"");
        Path same = dir.resolve("same.json");
        cli("snapshot", "--mysql-url", mysql, "--clickhouse-url", ch, "--out", same.toString());
        assertThat(cli("compare", before.toString(), same.toString()).status()).isZero();

        server.sql("DELETE FROM edxapp.grades_persistentcoursegrade WHERE id = 600");
        try {
            Path after = dir.resolve("after.json");
            cli("snapshot", "--mysql-url", mysql, "--out", after.toString());
            Result compare = cli("compare", before.toString(), after.toString());
            assertThat(compare.status()).isEqualTo(1);
            assertThat(compare.out()).contains("## Losses").contains("grades course-v1:Org+C0+2024: 150 -> 149 (-1)");
        } finally {
            server.sql("INSERT INTO edxapp.grades_persistentcoursegrade VALUES (600, 'course-v1:Org+C0+2024', 600, 0, NOW(6))");
        }
    }

    @EachServer
    void backup_verify_and_restore_a_single_tar_archive(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        String mysql = server.url();
        Path tar = dir.resolve("edxapp.tar");
        server.sql("DROP DATABASE IF EXISTS edxapp_tar");

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
            server.sql("DROP DATABASE IF EXISTS edxapp_tar");
        }
    }

    @EachServer
    void a_sealed_archive_is_authenticated_and_a_tampered_one_is_refused_naming_each_problem(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        Path key = Files.writeString(dir.resolve("archive.key"), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path out = dir.resolve("sealed");

        Result backup = cli("backup", "mysql", "--url", server.url(), "--databases", "edxapp", "--key-file", key.toString(),
                "--out", out.toString());
        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("sealed with the archive key");
        assertThat(cli("verify", out.toString()).out()).contains("archive OK").contains("sealed, not authenticated");
        assertThat(cli("verify", out.toString(), "--key-file", key.toString()).out()).contains("authenticated: the seal matches");

        // edited: the database's statement and one data file, the plain checksum recomputed
        Manifest m = ManifestIo.read(out);
        byte[] seal = Files.readAllBytes(out.resolve(ManifestIo.SEAL));
        ManifestIo.write(out, new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), m.rowHash(), m.warnings(), List.of(new Manifest.Database("edxapp",
                "DROP DATABASE mysql")), m.tables(), m.objects(), m.users(), m.features(), ""));
        Files.write(out.resolve(ManifestIo.SEAL), seal);
        Path data = out.resolve(m.tables().get(0).chunks().get(0).file());
        Files.write(data, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        Result plain = cli("verify", out.toString());
        assertThat(plain.status()).isEqualTo(1);
        List<String> lines = plain.err().lines().toList();
        assertThat(lines.get(0)).contains("is damaged or altered: 2 problem(s)");
        assertThat(lines.subList(1, lines.size())).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("arborist:   "))
                .anySatisfy(l -> assertThat(l).contains("database edxapp: its statement is not what SHOW CREATE DATABASE writes"))
                .anySatisfy(l -> assertThat(l).contains(m.tables().get(0).chunks().get(0).file()).contains("truncated or altered"));
        Result keyed = cli("verify", out.toString(), "--key-file", key.toString());
        assertThat(keyed.err()).contains("3 problem(s)").contains("the manifest does not match its seal");
        Result restore = cli("restore", "mysql", "--url", server.url(), "--from", out.toString(), "--rename", "edxapp=edxapp_sealed",
                "--key-file", key.toString());
        assertThat(restore.status()).isEqualTo(1);
        assertThat(restore.err()).contains("nothing was restored").contains("the manifest does not match its seal");
    }

    @EachServer
    void verify_names_a_partial_restore_and_cleanup_drops_what_it_created(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        Path out = dir.resolve("partial");
        assertThat(cli("backup", "mysql", "--url", server.url(), "--databases", "edxapp", "--out", out.toString()).status()).isZero();
        Manifest m = ManifestIo.read(out);
        // the last table's data file holds a row less than its manifest now says: the restore stops there
        List<Manifest.Table> tables = new java.util.ArrayList<>(m.tables());
        Manifest.Table t = tables.get(tables.size() - 1);
        Manifest.Chunk c = t.chunks().get(0);
        tables.set(tables.size() - 1, new Manifest.Table(t.database(), t.name(), t.engine(), t.createSql(), t.columns(), t.rangeColumn(),
                t.rows() + 1, t.bytes(), t.checksum(), List.of(new Manifest.Chunk(c.index(), c.file(), c.from(), c.to(), c.rows() + 1,
                c.bytes(), c.fileBytes(), c.sha256(), c.checksum()))));
        ManifestIo.write(out, new Manifest(m.formatVersion(), m.kind(), m.tool(), m.toolVersion(), m.created(), m.server(),
                m.consistency(), m.lockMillis(), m.rowHash(), m.warnings(), m.databases(), tables, m.objects(), m.users(), m.features(), ""));
        server.sql("DROP DATABASE IF EXISTS edxapp_partial");
        String[] restore = {"restore", "mysql", "--url", server.url(), "--from", out.toString(), "--rename", "edxapp=edxapp_partial",
                "--threads", "1"};

        assertThat(cli(restore).status()).isEqualTo(1);
        Result verify = cli("verify", out.toString());
        assertThat(verify.out()).contains("partial restore into " + server.url() + " as root (edxapp_partial)").contains("--cleanup");
        Result cleanup = cli(java.util.stream.Stream.concat(java.util.Arrays.stream(restore), java.util.stream.Stream.of("--cleanup"))
                .toArray(String[]::new));
        assertThat(cleanup.status()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).contains("cleanup complete").contains("dropped table edxapp_partial.auth_user")
                .contains("dropped database edxapp_partial");
        assertThat(cli("verify", out.toString()).out()).doesNotContain("partial restore");
        assertThat(server.connect().createStatement().executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME ="
                + " 'edxapp_partial'")).satisfies(rs -> {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                });
    }

    @EachServer
    void include_users_then_restore_users_brings_back_a_user_with_its_role(ServerKind kind) throws Exception {
        DbServer server = Servers.mysql(kind);
        String setDefault = server.isMySql() ? "SET DEFAULT ROLE cli_role TO 'cli_user'@'%'" : "SET DEFAULT ROLE cli_role FOR 'cli_user'@'%'";
        server.sql("DROP DATABASE IF EXISTS cli_users", "CREATE DATABASE cli_users", "CREATE TABLE cli_users.t (id INT PRIMARY KEY)",
                "INSERT INTO cli_users.t VALUES (1), (2), (3)", "DROP USER IF EXISTS 'cli_user'@'%'", "DROP ROLE IF EXISTS cli_role",
                "CREATE ROLE cli_role", "GRANT SELECT ON cli_users.* TO cli_role",
                "CREATE USER 'cli_user'@'%' IDENTIFIED BY 'cli-Pa55'", "GRANT cli_role TO 'cli_user'@'%'", setDefault);
        if (!server.isMySql()) {
            // MariaDB 10.11's built-in PUBLIC role, once it has a grant, is listed among the accounts
            server.sql("GRANT SHOW VIEW ON cli_users.* TO PUBLIC");
        }
        Path out = dir.resolve("users");

        Result backup = cli("backup", "mysql", "--url", server.url(), "--databases", "cli_users", "--include-users", "--out", out.toString());

        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out() + backup.err()).doesNotContain("cli-Pa55");
        server.sql("DROP USER 'cli_user'@'%'", "DROP ROLE cli_role", "DROP DATABASE cli_users");
        Result restore = cli("restore", "mysql", "--url", server.url(), "--from", out.toString(), "--restore-users");
        assertThat(restore.status()).as(restore.err()).isZero();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "cli_user");
        p.setProperty("password", "cli-Pa55");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("useSSL", "false");
        try (var c = java.sql.DriverManager.getConnection(server.url() + "/cli_users", p); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the restored user logs in and reads through its default role").isEqualTo(3);
        } finally {
            server.sql("DROP USER 'cli_user'@'%'", "DROP ROLE cli_role");
            if (!server.isMySql()) {
                server.sql("REVOKE SHOW VIEW ON cli_users.* FROM PUBLIC");
            }
            server.sql("DROP DATABASE cli_users");
        }
    }

    @EachServer
    void run_takes_real_backups_at_backup_steps(ServerKind kind) throws Exception {
        Path plan = dir.resolve("plan.json");
        assertThat(cli("plan", "--from", "quince", "--aspects", "1.3.2", "--to", "quince", "--aspects-to", "1.3.2", "--format", "json",
                "--out", plan.toString()).status()).isEqualTo(2);
        assertThat(cli("plan", "--from", "palm", "--aspects", "1.3.2", "--to", "quince", "--format", "json", "--out", plan.toString()).status())
                .isZero();

        Result run = cli("run", "--plan", plan.toString(), "--journal", dir.resolve("j").toString(), "--dry-run", "--yes",
                "--mysql-url", Servers.mysql(kind).url(), "--mysql-databases", "edxapp",
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
