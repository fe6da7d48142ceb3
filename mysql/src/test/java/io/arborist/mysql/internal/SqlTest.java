package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void definerClausesAreFoundAndDroppedOnlyAtTheStart() {
        String view = "CREATE ALGORITHM=UNDEFINED DEFINER=`rep``x`@`%` SQL SECURITY DEFINER VIEW `v` AS select 'DEFINER=`a`@`b`' AS `s`";
        assertThat(Sql.definer(view)).isEqualTo("`rep``x`@`%`");
        assertThat(Sql.withoutDefiner(view))
                .isEqualTo("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 'DEFINER=`a`@`b`' AS `s`");
        String trigger = "CREATE DEFINER=`root`@`localhost` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1";
        assertThat(Sql.definer(trigger)).isEqualTo("`root`@`localhost`");
        assertThat(Sql.withoutDefiner(trigger)).isEqualTo("CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1");
        String role = "CREATE DEFINER=`app_role` PROCEDURE `p`() SELECT 1";
        assertThat(Sql.definer(role)).isEqualTo("`app_role`");
        assertThat(Sql.withoutDefiner(role)).isEqualTo("CREATE PROCEDURE `p`() SELECT 1");
        String none = "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET @s = 'DEFINER=`a`@`b`'";
        assertThat(Sql.definer(none)).isEmpty();
        assertThat(Sql.withoutDefiner(none)).isEqualTo(none);
        assertThat(Sql.account("bob", "%")).isEqualTo("`bob`@`%`");
        assertThat(Sql.account("role", "")).isEqualTo("`role`");
    }

    @Test
    void theBinaryLogStatusStatementFollowsTheServerVersion() {
        // MySQL 8.2 added SHOW BINARY LOG STATUS, 8.4 removed SHOW MASTER STATUS; MariaDB keeps SHOW MASTER STATUS
        assertThat(Sql.binlogStatus("8.0.31")).isEqualTo("SHOW MASTER STATUS");
        assertThat(Sql.binlogStatus("8.1.0")).isEqualTo("SHOW MASTER STATUS");
        assertThat(Sql.binlogStatus("8.2.0")).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(Sql.binlogStatus("8.4.3")).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(Sql.binlogStatus("9.1.0-commercial")).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(Sql.binlogStatus("10.11.19-MariaDB-0+deb12u1")).isEqualTo("SHOW MASTER STATUS");
        assertThat(Sql.binlogStatus("11.4.5-MariaDB")).isEqualTo("SHOW MASTER STATUS");
        assertThat(Sql.binlogStatus("5.7.44-log")).isEqualTo("SHOW MASTER STATUS");
    }

    @Test
    void theAuthenticationPluginOfASavedUserIsFound() {
        assertThat(Sql.authPlugin("CREATE USER `app`@`%` IDENTIFIED WITH 'caching_sha2_password' AS 0x2441 DEFAULT ROLE `r`@`%`"))
                .isEqualTo("caching_sha2_password");
        assertThat(Sql.authPlugin("CREATE USER `old`@`%` IDENTIFIED WITH 'mysql_native_password' AS '*D8218' REQUIRE NONE"))
                .isEqualTo("mysql_native_password");
        assertThat(Sql.authPlugin("CREATE USER `s`@`localhost` IDENTIFIED VIA unix_socket")).isEqualTo("unix_socket");
        assertThat(Sql.authPlugin("CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'")).isEmpty();
        assertThat(Sql.authPlugin("CREATE ROLE `reader`")).isEmpty();
    }

    @Test
    void generatedColumnsAreFoundInExtraOnBothFlavours() {
        assertThat(Sql.isGenerated("VIRTUAL GENERATED")).isTrue();
        assertThat(Sql.isGenerated("STORED GENERATED")).isTrue();
        assertThat(Sql.isGenerated("STORED GENERATED INVISIBLE")).isTrue();
        assertThat(Sql.isGenerated("PERSISTENT")).isTrue();
        assertThat(Sql.isGenerated("DEFAULT_GENERATED on update CURRENT_TIMESTAMP")).isFalse();
        assertThat(Sql.isGenerated("auto_increment INVISIBLE")).isFalse();
        assertThat(Sql.isGenerated("")).isFalse();
    }

    @Test
    void objectSqlModesKeepOnlyWhatTheTargetKnows() {
        String mariadb = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";
        assertThat(Sql.sqlModeFor(mariadb, true)).isEqualTo("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
        assertThat(Sql.sqlModeFor(mariadb, false)).isEqualTo(mariadb);
        assertThat(Sql.sqlModeFor("EMPTY_STRING_IS_NULL,ANSI_QUOTES,SIMULTANEOUS_ASSIGNMENT", true)).isEqualTo("ANSI_QUOTES");
        assertThat(Sql.sqlModeFor("ONLY_FULL_GROUP_BY,TIME_TRUNCATE_FRACTIONAL", false)).isEqualTo("ONLY_FULL_GROUP_BY");
        assertThat(Sql.sqlModeFor("", true)).isEmpty();
    }

    @Test
    void collationsAndCharacterSetsAreFoundInDefinitions() {
        java.util.Map<String, java.util.List<String>> collations = new java.util.LinkedHashMap<>();
        java.util.Map<String, java.util.List<String>> charsets = new java.util.LinkedHashMap<>();
        Compatibility.note("CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */"
                + " /*!80016 DEFAULT ENCRYPTION='N' */", "database d", collations, charsets);
        Compatibility.note("  `n` varchar(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL,", "column d.t.n", collations, charsets);
        Compatibility.note(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci", "table d.t", collations, charsets);
        assertThat(collations).containsOnlyKeys("utf8mb4_0900_ai_ci", "latin1_bin");
        assertThat(collations.get("utf8mb4_0900_ai_ci")).containsExactly("database d", "table d.t");
        assertThat(charsets).containsOnlyKeys("utf8mb4", "latin1");
    }
}
