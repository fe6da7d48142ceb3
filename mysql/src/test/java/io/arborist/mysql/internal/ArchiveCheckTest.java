package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The statement checks on their own: what MariaDB 10.11 and MySQL 8.0 write passes (the statements below are theirs,
 * from backups of the round-trip schema); each way to make the server run something else is refused.
 */
class ArchiveCheckTest {
    private static final String DB = "src";
    private static final String MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";
    private static final String TABLE = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `note` varchar(40) DEFAULT NULL,\n"
            + "  `gen` bigint(20) GENERATED ALWAYS AS (`id` + 1) VIRTUAL,\n  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            + " DEFAULT NULL CHECK (json_valid(`j`)),\n  PRIMARY KEY (`id`),\n  KEY `note` (`note`),\n"
            + "  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `parent` (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=1000 DEFAULT CHARSET=utf8mb4"
            + " COLLATE=utf8mb4_unicode_ci";

    private static Manifest manifest(String databaseSql, String tableSql, List<Manifest.Routine> objects) {
        Manifest.Table t = new Manifest.Table(DB, "t", "InnoDB", tableSql, List.of(new Manifest.Column("id", "int", Sql.VALUE),
                new Manifest.Column("note", "varchar", Sql.TEXT)), "id", 1, 10, "0", List.of(new Manifest.Chunk(0, "data/t00000.c00000.tsv.zst",
                "", "", 1, 10, 20, "0".repeat(64), "0")));
        Manifest.Table parent = new Manifest.Table(DB, "parent", "InnoDB", "CREATE TABLE `parent` (\n  `id` int NOT NULL,\n"
                + "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB", List.of(new Manifest.Column("id", "int", Sql.VALUE)), "id", 0, 0, "0", List.of());
        return new Manifest(4, "mysql", "arborist", "0.1.0", "2024-01-01T00:00:00Z", new Manifest.Server("8.0.31", "mysql", "", "", "", "",
                "", 0, ""), "lock-instance", 0, Sql.HASH_CLIENT, List.of(), List.of(new Manifest.Database(DB, databaseSql)),
                List.of(t, parent), objects, List.of(), List.of(), "");
    }

    private static List<String> problems(String type, String name, String sql) {
        return problems(type, name, MODE, sql);
    }

    private static List<String> problems(String type, String name, String mode, String sql) {
        return ArchiveCheck.problems(manifest("CREATE DATABASE `src` /*!40100 DEFAULT CHARACTER SET utf8mb4 */", TABLE,
                List.of(new Manifest.Routine(type, DB, name, mode, sql))));
    }

    private static void assertPasses(String type, String name, String sql) {
        assertThat(problems(type, name, sql)).as(sql).isEmpty();
    }

    private static void assertRefused(String type, String name, String sql, String problem) {
        assertThat(problems(type, name, sql)).as(sql).singleElement().asString().contains(problem);
    }

    @Test
    void whatTheServersWritePasses() {
        assertThat(ArchiveCheck.problems(manifest("CREATE DATABASE `src` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */"
                + " /*!80016 DEFAULT ENCRYPTION='N' */", TABLE, List.of()))).isEmpty();
        assertPasses("VIEW", "v", "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `src`.`v` AS select"
                + " `src`.`a`.`id` AS `id` from (`src`.`a_view` `a` join `src`.`t` `c` on((`c`.`id` = `src`.`a`.`id`)))");
        assertPasses("VIEW", "v", "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER VIEW `src`.`v` AS select"
                + " `b_view`.`id` AS `id`,concat(`b_view`.`vc`,'!') AS `v` from `src`.`b_view` where `b_view`.`id` < 4 WITH CASCADED CHECK OPTION");
        assertPasses("FUNCTION", "plus_one", "CREATE DEFINER=`root`@`127.0.0.1` FUNCTION `plus_one`(x INT) RETURNS int(11)\n"
                + "    DETERMINISTIC\nRETURN IF(x > 0, x + 1, CASE WHEN x = 0 THEN 1 ELSE 0 END)");
        assertPasses("PROCEDURE", "p", "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(OUT n INT)\nBEGIN\n  -- count them\n"
                + "  DECLARE done INT DEFAULT 0;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;\n"
                + "  lbl: LOOP\n    IF (done = 1) THEN LEAVE lbl; END IF;\n    SET done = done + 1;\n  END LOOP lbl;\n"
                + "  CASE n WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n  WHILE done < 3 DO SET done = done + 1; END WHILE;\n"
                + "  REPEAT SET done = done - 1; UNTIL done = 0 END REPEAT;\n  SELECT COUNT(*) INTO n FROM t WHERE note = REPEAT('a', 2);\n"
                + "  INSERT INTO t (note) SELECT note FROM `src`.t x, parent p WHERE x.id = p.id ON DUPLICATE KEY UPDATE note = x.note;\nEND");
        assertPasses("TRIGGER", "t_bi", "CREATE DEFINER=`root`@`127.0.0.1` TRIGGER chunked_bi BEFORE INSERT ON t FOR EACH ROW BEGIN IF"
                .replace("chunked_bi", "t_bi") + " NEW.note IS NULL THEN SET NEW.note = 'trigger'; END IF; END");
        assertPasses("TRIGGER", "t_ai", "CREATE DEFINER=`root`@`localhost` TRIGGER `src`.`t_ai` AFTER INSERT ON `src`.`t` FOR EACH ROW"
                + " INSERT INTO parent (id) VALUES (NEW.id)");
        assertPasses("EVENT", "nightly", "CREATE DEFINER=`root`@`localhost` EVENT `nightly` ON SCHEDULE EVERY 1 DAY STARTS"
                + " '2030-01-01 00:00:00' ON COMPLETION NOT PRESERVE DISABLE DO DELETE FROM t WHERE note = 'x'");
    }

    @Test
    void anotherDatabaseWhereATableRoutineOrDatabaseGoesIsRefused() {
        String view = "CREATE VIEW `src`.`v` AS select 1 AS `x` from ";
        assertRefused("VIEW", "v", view + "`src`.`t` join other.t", "names database other (other.t)");
        assertRefused("VIEW", "v", view + "`src`.`t`, (other.t)", "names database other");
        assertRefused("VIEW", "v", view + "`src`.`t` where 1 in (select 1 from other.t)", "names database other");
        assertRefused("VIEW", "v", view + "`src`.`t` where 1 in (table other.t)", "names database other");
        assertRefused("VIEW", "v", "CREATE VIEW `src`.`v` AS select other.t.c AS `x` from `src`.`t`", "names database other");
        assertRefused("VIEW", "v", "CREATE VIEW `src`.`v` AS select other.f(1) AS `x`", "names database other");
        assertRefused("VIEW", "v", "CREATE VIEW `src`.`v` AS select `mysql` . `user` . `authentication_string` AS `x` from `src`.`t`",
                "names database mysql");
        String body = "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN ";
        assertRefused("PROCEDURE", "p", body + "INSERT IGNORE other.t VALUES (1); END", "names database other");
        assertRefused("PROCEDURE", "p", body + "UPDATE LOW_PRIORITY other.t SET a = 1; END", "names database other");
        assertRefused("PROCEDURE", "p", body + "UPDATE t, other.t SET t.a = 1; END", "names database other");
        assertRefused("PROCEDURE", "p", body + "DELETE FROM t USING t, other.t; END", "names database other");
        assertRefused("PROCEDURE", "p", body + "CALL other.p; END", "names database other");
        assertRefused("PROCEDURE", "p", body + "SELECT NEXT VALUE FOR other.s; END", "names database other");
        assertRefused("VIEW", "v", "CREATE VIEW `src`.`v` AS select `c`.`x` AS `x` from `src`.`t` `c`"
                + " join other.t `d` on `c`.`x` = `d`.`x`, other.u", "names database other");
        assertThat(ArchiveCheck.problems(manifest("CREATE DATABASE `src`", TABLE.replace("REFERENCES `parent`", "REFERENCES `other`.`parent`"),
                List.of()))).singleElement().asString().contains("table src.t: its CREATE TABLE names database other");
    }

    @Test
    void serverChangingStatementsAndFilesAreRefused() {
        String body = "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN ";
        assertRefused("PROCEDURE", "p", body + "SELECT * FROM t INTO OUTFILE '/tmp/x'; END", "uses OUTFILE");
        assertRefused("PROCEDURE", "p", body + "PREPARE s FROM 'DROP DATABASE x'; EXECUTE s; END", "uses PREPARE");
        assertRefused("PROCEDURE", "p", body + "SET @@global.local_infile = 1; END", "a server-wide setting");
        assertRefused("PROCEDURE", "p", body + "GRANT ALL ON *.* TO 'x'@'%'; END", "uses GRANT");
        assertRefused("PROCEDURE", "p", body + "START SLAVE; END", "uses START");
        assertPasses("PROCEDURE", "p", body + "START TRANSACTION; COMMIT; END");
        assertRefused("EVENT", "e", "CREATE EVENT `e` ON SCHEDULE AT CURRENT_TIMESTAMP DO DROP TABLE t", "uses DROP");
        assertThat(ArchiveCheck.problems(manifest("CREATE DATABASE `src`", TABLE + " DATA DIRECTORY='/var/www'", List.of())))
                .singleElement().asString().contains("uses DIRECTORY");
        assertThat(ArchiveCheck.problems(manifest("CREATE DATABASE `src`", TABLE.replace("`id` + 1", "load_file('/etc/shadow')"),
                List.of()))).singleElement().asString().contains("uses LOAD_FILE");
    }

    @Test
    void oneStatementAsTheServerReadsIt() {
        String body = "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`() ";
        assertRefused("PROCEDURE", "p", body + "BEGIN SELECT begin FROM t; END; DROP DATABASE x; END", "BEGIN where no block can start");
        assertRefused("PROCEDURE", "p", body + "BEGIN SELECT 1; END; END", "goes on after the end of its body");
        assertRefused("PROCEDURE", "p", body + "SELECT 1; SELECT 2", "more than one statement");
        assertRefused("PROCEDURE", "p", body + "BEGIN SELECT end FROM t; END", "END where its BEGIN cannot end");
        assertRefused("PROCEDURE", "p", body + "BEGIN FOR i IN 1..3 DO SELECT i; END FOR; END", "goes on after the end");
        assertRefused("PROCEDURE", "p", body + "BEGIN IF 1 THEN SELECT 1; END LOOP; END", "END LOOP where its IF is not closed");
        // a # comment ends at a line feed only, as on the servers: a carriage return does not end it
        assertRefused("PROCEDURE", "p", body + "BEGIN SELECT 1; # note\r'\nSELECT 2; END; DROP DATABASE x; -- '", "goes on after the end");
        // under NO_BACKSLASH_ESCAPES the backslash does not escape the quote
        String tricky = body + "BEGIN SELECT 'a\\'; END; DROP DATABASE x; SELECT '; END -- '";
        assertThat(problems("PROCEDURE", "p", "NO_BACKSLASH_ESCAPES", tricky)).singleElement().asString().contains("goes on after the end");
        assertThat(problems("PROCEDURE", "p", MODE, tricky)).isEmpty();
        // under ANSI_QUOTES "..." is a name, not a string
        String ansi = "CREATE VIEW `src`.`v` AS select \"a\\\" AS x from other.t where \"\" = \"\"";
        assertThat(problems("VIEW", "v", "ANSI_QUOTES", ansi)).singleElement().asString().contains("names database other");
        assertThat(problems("VIEW", "v", "", "CREATE VIEW `src`.`v` AS select 1 AS `x`; DROP DATABASE x")).singleElement().asString()
                .contains("more than one statement");
    }

    @Test
    void unreadableTextIsRefused() {
        String view = "CREATE VIEW `src`.`v` AS select 1 AS `x`";
        assertRefused("VIEW", "v", view + " /* where */", "holds comments");
        assertRefused("VIEW", "v", view + " /*!50000 ' */ , other.t '", "an executable comment");
        assertRefused("VIEW", "v", view + " /*+ BKA(t) */", "optimizer hint");
        assertRefused("VIEW", "v", view + " /*!50000 /* x */ */", "nested in an executable comment");
        assertRefused("VIEW", "v", view + " /*!50000 # */\n from other.t */", "executable comment");
        assertRefused("VIEW", "v", view + "\u0000", "control character");
        assertRefused("VIEW", "v", view + " where 'a = 1", "string is not closed");
        assertRefused("VIEW", "v", view + " where `a = 1", "quoted identifier is not closed");
        assertRefused("VIEW", "v", view + " /* x", "comment is not closed");
        assertRefused("VIEW", "v", "CREATE OR REPLACE VIEW `src`.`v` AS select 1 AS `x`", "not a CREATE VIEW");
        assertRefused("VIEW", "w", view, "creates v, not w");
        assertRefused("TRIGGER", "tr", "CREATE TRIGGER tr BEFORE INSERT ON nope FOR EACH ROW SET @a = 1", "table nope, which the archive does not hold");
        assertThat(problems("VIEW", "v", "ORACLE", view)).singleElement().asString().contains("ORACLE");
        assertThat(problems("VIEW", "v", "NO_SUCH_MODE", view)).singleElement().asString().contains("not one the servers know");
        assertThat(problems("SEQUENCE", "v", view)).singleElement().asString().contains("its kind 'SEQUENCE' is not one an archive holds");
    }

    @Test
    void renamingChangesQualifiersOnly() {
        String sql = "CREATE DEFINER=`root`@`localhost` TRIGGER src.t_ai AFTER INSERT ON `src`.`t` FOR EACH ROW"
                + " INSERT INTO src.log (note) VALUES ('src.x', `src`)";
        assertThat(ArchiveCheck.rename(sql, Map.of("src", "dst`x"), true, false)).isEqualTo("CREATE DEFINER=`root`@`localhost` TRIGGER"
                + " `dst``x`.t_ai AFTER INSERT ON `dst``x`.`t` FOR EACH ROW INSERT INTO `dst``x`.log (note) VALUES ('src.x', `src`)");
    }
}
