package io.arborist.examples;

import io.arborist.clickhouse.AspectsFixture;
import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.mysql.DbServer;
import io.arborist.mysql.ServerKind;
import io.arborist.mysql.SharedServers;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The real servers the end-to-end tests of this module share: each MySQL-family server of the matrix (MariaDB 10.11
 * and MySQL 8.0 by default, see {@link ServerKind}) with a small edxapp, and the shared ClickHouse with the
 * Aspects-like fixture, each started once per JVM (loopback only) and stopped at exit.
 */
final class Servers {
    static final int XAPI_EVENTS = 30_000;
    private static final Set<ServerKind> EDXAPP = EnumSet.noneOf(ServerKind.class);

    private Servers() {
    }

    /** @return the shared server of this kind, with the edxapp fixture (created once) */
    static synchronized DbServer mysql(ServerKind kind) throws SQLException {
        DbServer m = SharedServers.server(kind);
        if (EDXAPP.add(kind)) {
            m.sql("DROP DATABASE IF EXISTS edxapp", "CREATE DATABASE edxapp CHARACTER SET utf8mb4", "USE edxapp",
                    "CREATE TABLE auth_user (id INT PRIMARY KEY, username VARCHAR(150) NOT NULL UNIQUE)",
                    "CREATE TABLE student_courseenrollment (id INT PRIMARY KEY, course_id VARCHAR(255) NOT NULL, mode VARCHAR(100) NOT NULL,"
                            + " is_active TINYINT(1) NOT NULL, user_id INT NOT NULL, CONSTRAINT fk_u FOREIGN KEY (user_id) REFERENCES auth_user (id))",
                    "CREATE TABLE certificates_generatedcertificate (id INT PRIMARY KEY, course_id VARCHAR(255) NOT NULL,"
                            + " status VARCHAR(32) NOT NULL, user_id INT NOT NULL)",
                    "CREATE TABLE completion_blockcompletion (id BIGINT PRIMARY KEY, course_key VARCHAR(255) NOT NULL,"
                            + " block_key VARCHAR(255) NOT NULL, completion DOUBLE NOT NULL, user_id INT NOT NULL)",
                    "CREATE TABLE grades_persistentcoursegrade (id BIGINT PRIMARY KEY, course_id VARCHAR(255) NOT NULL,"
                            + " user_id INT NOT NULL, percent_grade DOUBLE NOT NULL, passed_timestamp DATETIME(6) NULL)",
                    "INSERT INTO auth_user SELECT seq, CONCAT('learner', seq) FROM " + DbServer.seq(300),
                    "INSERT INTO student_courseenrollment SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                            + " IF(seq % 3 = 0, 'verified', 'audit'), seq % 7 <> 0, (seq % 300) + 1 FROM " + DbServer.seq(900),
                    "INSERT INTO certificates_generatedcertificate SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                            + " IF(seq % 5 = 0, 'notpassing', 'downloadable'), seq FROM " + DbServer.seq(200),
                    "INSERT INTO completion_blockcompletion SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                            + " CONCAT('block-', seq), IF(seq % 9 = 0, 0, 1), (seq % 300) + 1 FROM " + DbServer.seq(5000),
                    "INSERT INTO grades_persistentcoursegrade SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'), seq,"
                            + " (seq % 100) / 100, IF(seq % 2 = 0, NOW(6), NULL) FROM " + DbServer.seq(600));
        }
        return m;
    }

    private static boolean aspectsCreated;

    static synchronized ClickHouseServer clickhouse() {
        ClickHouseServer s = ClickHouseServer.shared();
        if (!aspectsCreated) {
            AspectsFixture.create(s, "", XAPI_EVENTS);
            aspectsCreated = true;
        }
        return s;
    }

    /** Drops the scratch copies restores create, so each test starts clean. */
    static void dropScratchCopies(DbServer mysql) throws Exception {
        mysql.sql("DROP DATABASE IF EXISTS edxapp_rehearsal");
        dropClickHouseScratchCopies();
    }

    static void dropClickHouseScratchCopies() {
        clickhouse().run("DROP DATABASE IF EXISTS reporting_rehearsal", "DROP DATABASE IF EXISTS event_sink_rehearsal",
                "DROP DATABASE IF EXISTS xapi_rehearsal");
    }
}
