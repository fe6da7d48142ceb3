package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Backups of one flavour restored into the other: they work, or stop before changing anything naming what is missing. */
class CrossFlavourTest {
    private static final String SCHEMA_SQL = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";

    private static MySqlArchive backup(DbServer server, String db, Path dir, boolean users) {
        return MySqlBackup.using(server.url(), Credentials.of("root", new char[0])).databases(db).parallelism(2).chunkRows(4_000).includeUsers(users)
                .build().backup(dir);
    }

    private static MySqlRestore.Builder restore(DbServer server, String from, String to) {
        return MySqlRestore.using(server.url(), Credentials.of("root", new char[0])).rename(from, to).parallelism(2);
    }

    private static List<String> schema(DbServer server, String db) throws Exception {
        try (var c = server.connect()) {
            return TrapSchema.list(c, SCHEMA_SQL, db);
        }
    }

    /**
     * A database in a collation both flavours have, with JSON (native on MySQL, MariaDB's LONGTEXT alias), invisible
     * and generated columns, a view, a trigger and a routine, comes across and its rows verify.
     */
    @EachServerPair
    void aPortableDatabaseRestoresIntoTheOtherFlavour(EachServerPair.Pair pair, @TempDir Path tmp) throws Exception {
        DbServer from = pair.from();
        DbServer to = pair.to();
        from.sql("DROP DATABASE IF EXISTS cross_src", "CREATE DATABASE cross_src CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "USE cross_src",
                "CREATE TABLE doc (id INT PRIMARY KEY AUTO_INCREMENT, j JSON, name VARCHAR(40) NOT NULL, note TEXT,"
                        + " secret VARCHAR(10) INVISIBLE DEFAULT 'hidden', len INT AS (CHAR_LENGTH(name)) STORED,"
                        + " price DECIMAL(12,4), ratio DOUBLE, made DATETIME(6), flags BIT(8), raw VARBINARY(16), KEY (name))",
                "INSERT INTO doc (j, name, note, price, ratio, made, flags, raw) VALUES"
                        + " ('{\"a\": [1, 2.5, \"\\\\u00e9\"], \"b\": null}', 'caf\u00e9 \uD83D\uDE00', 'tab\\there', 12.3456, 0.1,"
                        + " '2024-02-29 12:34:56.123456', b'10100101', 0x00FF5C0A),"
                        + " ('[]', 'second', NULL, -1, -2.5e-300, '1999-12-31 23:59:59', b'0', ''), (NULL, '', '', 0, 0, NULL, NULL, NULL)",
                "INSERT INTO doc (name) SELECT CONCAT('row ', seq) FROM " + DbServer.seq(9_000),
                "CREATE VIEW doc_names AS SELECT id, name FROM doc WHERE id < 100",
                "CREATE TRIGGER doc_bi BEFORE INSERT ON doc FOR EACH ROW SET NEW.note = IFNULL(NEW.note, 'trigger')",
                "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2");
        MySqlArchive archive = backup(from, "cross_src", tmp.resolve("a"), false);
        to.sql("DROP DATABASE IF EXISTS cross_dst");

        // the source's root account (root@127.0.0.1 on MariaDB without name resolution) need not exist on the target
        RestoreReport report = restore(to, "cross_src", "cross_dst").definers(DefinerPolicy.CURRENT_USER).build()
                .restore(archive.directory());

        assertThat(report.allMatch()).isTrue();
        assertThat(report.rows()).isEqualTo(9_003);
        String rows = "SELECT CONCAT_WS('|', id, j, name, note, secret, len, price, made, HEX(flags), HEX(raw)) FROM %s.doc"
                + " WHERE id <= 3 ORDER BY id";
        assertThat(TrapSchema.list(to, String.format(rows, "cross_dst"))).hasSize(3)
                .isEqualTo(TrapSchema.list(from, String.format(rows, "cross_src")));
        to.sql("INSERT INTO cross_dst.doc (name) VALUES ('after')");
        assertThat(TrapSchema.list(to, "SELECT CONCAT_WS('|', note, cross_dst.twice(2)) FROM cross_dst.doc WHERE name = 'after'"))
                .containsExactly("trigger|4");
        assertThat(TrapSchema.count(to, "cross_dst.doc_names")).isEqualTo(TrapSchema.count(from, "cross_src.doc_names"));
        if (to.isMySql()) {
            // MariaDB's JSON is LONGTEXT with a json_valid check, and stays that on MySQL
            assertThat(TrapSchema.list(to, "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'cross_dst'"
                    + " AND COLUMN_NAME = 'j'")).containsExactly("longtext");
        }
        to.sql("DROP DATABASE cross_dst");
    }

    /**
     * MySQL 8's default collation does not exist in MariaDB 10.11 (11.4.5 has it), and accounts do not carry over between flavours: the
     * restore refuses before it creates anything, naming the column, table and database that use the collation.
     */
    @EachServerPair
    void whatTheTargetLacksStopsTheRestoreBeforeAnythingChanges(EachServerPair.Pair pair, @TempDir Path tmp) throws Exception {
        DbServer from = pair.from();
        DbServer to = pair.to();
        from.sql("DROP DATABASE IF EXISTS cross_users", "CREATE DATABASE cross_users CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "CREATE TABLE cross_users.t (id INT PRIMARY KEY)", "DROP USER IF EXISTS 'crossuser'@'%'",
                "CREATE USER 'crossuser'@'%' IDENTIFIED BY 'cross-Pa55'", "GRANT SELECT ON cross_users.* TO 'crossuser'@'%'");
        MySqlArchive users = backup(from, "cross_users", tmp.resolve("users"), true);
        to.sql("DROP DATABASE IF EXISTS cross_users_dst", "DROP USER IF EXISTS 'crossuser'@'%'");

        ArboristException refused = catchThrowableOfType(ArboristException.class,
                () -> restore(to, "cross_users", "cross_users_dst").restoreUsers(true).build().restore(users.directory()));

        assertThat(refused.kind()).isEqualTo(ErrorKind.RESTORE);
        assertThat(refused.getMessage()).contains("users and grants were saved on " + from.kind().flavour())
                .contains("nothing was changed").doesNotContain("cross-Pa55");
        assertThat(schema(to, "cross_users_dst")).isEmpty();
        // without the users, the same archive restores
        assertThat(restore(to, "cross_users", "cross_users_dst").build().restore(users.directory()).allMatch()).isTrue();
        to.sql("DROP DATABASE cross_users_dst");
        from.sql("DROP USER 'crossuser'@'%'");

        if (from.isMySql()) {
            from.sql("DROP DATABASE IF EXISTS cross_0900", "CREATE DATABASE cross_0900 CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci",
                    "CREATE TABLE cross_0900.auth_user (id INT PRIMARY KEY, username VARCHAR(150) NOT NULL)",
                    "INSERT INTO cross_0900.auth_user VALUES (1, 'ana')");
            MySqlArchive mysql8 = backup(from, "cross_0900", tmp.resolve("0900"), false);
            to.sql("DROP DATABASE IF EXISTS cross_0900_dst");
            if (to.kind() == ServerKind.MARIADB_11_4) {
                // MariaDB 11.4.5 knows MySQL's utf8mb4_0900_* collations
                assertThat(restore(to, "cross_0900", "cross_0900_dst").build().restore(mysql8.directory()).allMatch()).isTrue();
                to.sql("DROP DATABASE cross_0900_dst");
                return;
            }

            ArboristException e = catchThrowableOfType(ArboristException.class,
                    () -> restore(to, "cross_0900", "cross_0900_dst").build().restore(mysql8.directory()));

            assertThat(e.kind()).isEqualTo(ErrorKind.RESTORE);
            assertThat(e.getMessage()).contains("collation utf8mb4_0900_ai_ci").contains("database cross_0900_dst")
                    .contains("table cross_0900_dst.auth_user").contains("is unknown to the target")
                    .contains("nothing was changed");
            assertThat(schema(to, "cross_0900_dst")).isEmpty();
        }
    }
}
