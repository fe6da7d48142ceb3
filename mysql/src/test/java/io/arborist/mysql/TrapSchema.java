package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A database full of traps for logical backups, and server-side comparisons of two databases. */
final class TrapSchema {
    private TrapSchema() {
    }

    static void create(DbServer server, String db) throws SQLException {
        String q = "`" + db + "`";
        server.sql("DROP DATABASE IF EXISTS " + q,
                "CREATE DATABASE " + q + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "USE " + q,
                "CREATE TABLE types (id INT PRIMARY KEY AUTO_INCREMENT, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,"
                        + " mi MEDIUMINT, i INT, bi BIGINT, bu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dec65 DECIMAL(65,30),"
                        + " dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, da DATE, tm TIME(6), yr YEAR, b64 BIT(64), b1 BIT(1),"
                        + " e ENUM('a','b','NULL'), st SET('x','y','z'), j JSON, c CHAR(10), vc VARCHAR(255), t TEXT, bl LONGBLOB,"
                        + " vb VARBINARY(300), bn BINARY(4), latin VARCHAR(20) CHARACTER SET latin1,"
                        + " gen BIGINT AS (i + 1) VIRTUAL, gens VARCHAR(300) AS (CONCAT(vc, '!')) STORED) AUTO_INCREMENT=1000",
                "INSERT INTO types (id, ti, tu, si, mi, i, bi, bu, f, d, dec65, dt, ts, da, tm, yr, b64, b1, e, st, j, c, vc, t, bl, vb, bn, latin) VALUES"
                        + " (1, -128, 255, -32768, -8388608, -2147483648, -9223372036854775808, 18446744073709551615, -3.40282e38,"
                        + " -1.7976931348623157e308, '-99999999999999999999999999999999999.999999999999999999999999999999',"
                        + " '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '1000-01-01', '-838:59:59.000000', 1901,"
                        + " b'1111111111111111111111111111111111111111111111111111111111111111', b'1', 'NULL', 'x,y,z',"
                        + " '{\"k\": [1, 2.5, \"\\\\u00e9\", null, {\"n\": \"tab\\\\tq\\\\\"\"}]}', 'NULL', 'NULL', '\\\\N', '', '', 'abcd', 'caf\u00e9'),"
                        + " (2, 127, 0, 32767, 8388607, 2147483647, 9223372036854775807, 0, 1.17549e-38, 2.2250738585072014e-308,"
                        + " '99999999999999999999999999999999999.999999999999999999999999999999', '9999-12-31 23:59:59.999999',"
                        + " '2038-01-19 03:14:07.999999', '9999-12-31', '838:59:59.000000', 2155, b'0', b'0', 'b', '', '[]',"
                        + " 'a\\tb', 'back\\\\slash \\\\n not newline', 'tab\\there\\nnew line\\r\\nCRLF \\0 nul', 0x00, 0x0a0d09, 0x00000000, ''),"
                        + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                        + " (4, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.1, '0.000000000000000000000000000001', '2024-02-29 12:34:56.123456',"
                        + " '2024-02-29 12:34:56.123456', '2024-02-29', '00:00:00.000001', 2000, b'1010', b'1', 'a', 'y',"
                        + " '\"\\\\\\\\\"', 'emoji', '\uD83D\uDE00 4-byte \uD834\uDD1E and \u4E2D\u6587 and \u00FC', 'NULL\\\\N\\\\t', 0xFF, 0x5C, 0x5C090A00, '\u00FF\u00E9')",
                "UPDATE types SET bl = (SELECT GROUP_CONCAT(CHAR(n) ORDER BY n SEPARATOR '') FROM"
                        + " (SELECT a.i * 16 + b.i AS n FROM (SELECT 0 i UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4"
                        + " UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9 UNION SELECT 10 UNION SELECT 11"
                        + " UNION SELECT 12 UNION SELECT 13 UNION SELECT 14 UNION SELECT 15) a, (SELECT 0 i UNION SELECT 1 UNION SELECT 2"
                        + " UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9"
                        + " UNION SELECT 10 UNION SELECT 11 UNION SELECT 12 UNION SELECT 13 UNION SELECT 14 UNION SELECT 15) b) x)"
                        + " WHERE id = 1",
                "UPDATE types SET vb = CAST(REVERSE(bl) AS BINARY) WHERE id = 1",
                "CREATE TABLE `select` (`from` INT NOT NULL, `order` VARCHAR(10), `we``ird col` INT, PRIMARY KEY (`from`))",
                "INSERT INTO `select` VALUES (1, 'group', 7), (2, 'by', NULL)",
                "CREATE TABLE `tablé_ü` (`naïve` VARCHAR(20), `日本` INT) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO `tablé_ü` VALUES ('dup', 1), ('dup', 1), ('dup', 1), (NULL, NULL), ('', 0)",
                "CREATE TABLE composite (a INT, b VARCHAR(10), c DOUBLE, hidden INT INVISIBLE DEFAULT 7, PRIMARY KEY (a, b))",
                "INSERT INTO composite VALUES (1, 'x', 1.5), (1, 'y', 2.5), (2, 'x', NULL)",
                "CREATE TABLE z_parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB",
                "CREATE TABLE a_child (id INT PRIMARY KEY, parent_id INT, CONSTRAINT a_fk FOREIGN KEY (parent_id) REFERENCES z_parent (id))",
                "INSERT INTO z_parent VALUES (1, 'p1'), (2, 'p2')",
                "INSERT INTO a_child VALUES (10, 1), (11, 2), (12, NULL)",
                "CREATE TABLE empty_table (id BIGINT PRIMARY KEY, v TEXT)",
                "CREATE TABLE big_row (id INT PRIMARY KEY, payload LONGBLOB, txt LONGTEXT)",
                "INSERT INTO big_row VALUES (1, RANDOM_BYTES(1024) , REPEAT('\u00e9\\t\\\\', 1000000))",
                "UPDATE big_row SET payload = REPEAT(RANDOM_BYTES(1024), 5 * 1024) WHERE id = 1",
                "CREATE TABLE chunked (id BIGINT PRIMARY KEY, g INT, note VARCHAR(40), KEY (g)) AUTO_INCREMENT=5",
                "INSERT INTO chunked SELECT seq * 3, seq % 97, IF(seq % 10 = 0, NULL, CONCAT('row ', seq)) FROM " + DbServer.seq(30000),
                // no integer key to split by range: their files are split by row count
                "CREATE TABLE django_session (session_key VARCHAR(40) PRIMARY KEY, session_data LONGTEXT NOT NULL, expire_date DATETIME(6) NOT NULL, KEY (expire_date))",
                "INSERT INTO django_session SELECT MD5(seq), CONCAT('data\\t', seq), '2030-01-01' + INTERVAL seq MINUTE FROM " + DbServer.seq(9500),
                "CREATE TABLE no_key (v INT, w VARCHAR(10))",
                "INSERT INTO no_key SELECT seq % 50, IF(seq % 7 = 0, NULL, 'dup') FROM " + DbServer.seq(9000),
                "CREATE VIEW b_view AS SELECT id, vc FROM types WHERE id < 4",
                "CREATE VIEW a_view AS SELECT id, CONCAT(vc, '!') AS v FROM b_view",
                "CREATE VIEW `vüe` AS SELECT a.id FROM a_view a JOIN chunked c ON c.id = a.id",
                "CREATE FUNCTION plus_one(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
                "CREATE PROCEDURE count_types(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM types; END",
                "CREATE TRIGGER chunked_bi BEFORE INSERT ON chunked FOR EACH ROW BEGIN IF NEW.note IS NULL THEN SET NEW.note = 'trigger'; END IF; END",
                "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM empty_table");
        // fresh row estimates for the chunk plan (MySQL updates InnoDB statistics in the background)
        server.sql("USE " + q, "UPDATE composite SET hidden = a * 10 WHERE b = 'y'", "ANALYZE TABLE chunked");
        if (server.isMySql()) {
            // MySQL 8.0.30+: a table created without a primary key gets an invisible my_row_id one
            server.sql("USE " + q, "SET SESSION sql_generate_invisible_primary_key = ON",
                    "CREATE TABLE gipk (v VARCHAR(10))", "INSERT INTO gipk VALUES ('a'), ('b'), (NULL)",
                    "DELETE FROM gipk WHERE v = 'a'", "INSERT INTO gipk VALUES ('c')");
        }
    }

    /** Per table: row count and CHECKSUM TABLE, computed by the server. */
    static TreeMap<String, String> tableChecksums(Connection c, String db) throws SQLException {
        TreeMap<String, String> out = new TreeMap<>();
        for (String t : list(c, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", db)) {
            String id = "`" + db + "`.`" + t.replace("`", "``") + "`";
            try (Statement st = c.createStatement()) {
                String count;
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + id)) {
                    rs.next();
                    count = rs.getString(1);
                }
                try (ResultSet cs = st.executeQuery("CHECKSUM TABLE " + id + " EXTENDED")) {
                    cs.next();
                    out.put(t, count + " rows, checksum " + cs.getString(2));
                }
            }
        }
        return out;
    }

    /** information_schema facts that must survive a restore (database name left out). */
    static List<String> structure(Connection c, String db) throws SQLException {
        List<String> out = new ArrayList<>();
        out.addAll(list(c, "SELECT CONCAT_WS('|', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, IFNULL(COLUMN_DEFAULT,'-'), IS_NULLABLE,"
                + " COLUMN_TYPE, IFNULL(CHARACTER_SET_NAME,'-'), IFNULL(COLLATION_NAME,'-'), EXTRA, IFNULL(GENERATION_EXPRESSION,'-'))"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION", db));
        // the next AUTO_INCREMENT value of tables that have such a column (MySQL reports a table option without one, and
        // drops it from SHOW CREATE TABLE)
        out.addAll(list(c, "SELECT CONCAT_WS('|', TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE,'-'), IF(EXISTS (SELECT 1 FROM"
                + " information_schema.COLUMNS k WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME"
                + " AND k.EXTRA LIKE '%auto_increment%'), IFNULL(AUTO_INCREMENT,'-'), '-'), IFNULL(TABLE_COLLATION,'-'))"
                + " FROM information_schema.TABLES t WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE)"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE)"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY CONSTRAINT_NAME", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, SQL_MODE)"
                + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT)"
                + " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', EVENT_NAME, EVENT_DEFINITION, STATUS, INTERVAL_VALUE, INTERVAL_FIELD)"
                + " FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME", db));
        out.addAll(list(c, "SELECT CONCAT_WS('|', TABLE_NAME, REPLACE(VIEW_DEFINITION, CONCAT('`', TABLE_SCHEMA, '`.'), ''), CHECK_OPTION)"
                + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db));
        out.add("schema|" + String.join("|", list(c, "SELECT CONCAT_WS('|', DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME)"
                + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db)));
        return out;
    }

    /** Asserts that a restored copy has the source's data (server-side checksums) and structure. */
    static void assertSameContent(DbServer server, String source, String copy) throws SQLException {
        try (Connection c = server.connect()) {
            assertThat(tableChecksums(c, copy)).isEqualTo(tableChecksums(c, source));
            assertThat(structure(c, copy)).containsExactlyElementsOf(structure(c, source));
        }
    }

    static List<String> list(Connection c, String sql, String db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** @return the first column of a query's rows */
    static List<String> list(DbServer server, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long count(DbServer server, String table) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
