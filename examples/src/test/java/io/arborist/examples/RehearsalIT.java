package io.arborist.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.AspectsFixture;
import io.arborist.clickhouse.ClickHouseServer;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.report.Change;
import io.arborist.core.report.Difference;
import io.arborist.mysql.MariaDbServer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end rehearsal on real throwaway servers (MariaDB 10.11 and ClickHouse 18.16 started by the tests): plan,
 * dry-run execution with real backups, restore into scratch databases, no-data-loss report; and the same rehearsal
 * catching certificates deleted from the restored copy.
 */
class RehearsalIT {
    private static MariaDbServer mysql;
    private static ClickHouseServer clickhouse;

    @BeforeAll
    static void servers() throws Exception {
        mysql = MariaDbServer.start();
        clickhouse = ClickHouseServer.shared();
        mysql.sql("CREATE DATABASE edxapp CHARACTER SET utf8mb4", "USE edxapp",
                "CREATE TABLE edxapp.auth_user (id INT PRIMARY KEY, username VARCHAR(150) NOT NULL UNIQUE)",
                "CREATE TABLE edxapp.student_courseenrollment (id INT PRIMARY KEY, course_id VARCHAR(255) NOT NULL, mode VARCHAR(100) NOT NULL,"
                        + " is_active TINYINT(1) NOT NULL, user_id INT NOT NULL, CONSTRAINT fk_u FOREIGN KEY (user_id) REFERENCES edxapp.auth_user (id))",
                "CREATE TABLE edxapp.certificates_generatedcertificate (id INT PRIMARY KEY, course_id VARCHAR(255) NOT NULL,"
                        + " status VARCHAR(32) NOT NULL, user_id INT NOT NULL)",
                "CREATE TABLE edxapp.completion_blockcompletion (id BIGINT PRIMARY KEY, course_key VARCHAR(255) NOT NULL,"
                        + " block_key VARCHAR(255) NOT NULL, completion DOUBLE NOT NULL, user_id INT NOT NULL)",
                "CREATE TABLE edxapp.grades_persistentcoursegrade (id BIGINT PRIMARY KEY, course_id VARCHAR(255) NOT NULL,"
                        + " user_id INT NOT NULL, percent_grade DOUBLE NOT NULL, passed_timestamp DATETIME(6) NULL)",
                "INSERT INTO edxapp.auth_user SELECT seq, CONCAT('learner', seq) FROM seq_1_to_300",
                "INSERT INTO edxapp.student_courseenrollment SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                        + " IF(seq % 3 = 0, 'verified', 'audit'), seq % 7 <> 0, (seq % 300) + 1 FROM seq_1_to_900",
                "INSERT INTO edxapp.certificates_generatedcertificate SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                        + " IF(seq % 5 = 0, 'notpassing', 'downloadable'), seq FROM seq_1_to_200",
                "INSERT INTO edxapp.completion_blockcompletion SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'),"
                        + " CONCAT('block-', seq), IF(seq % 9 = 0, 0, 1), (seq % 300) + 1 FROM seq_1_to_5000",
                "INSERT INTO edxapp.grades_persistentcoursegrade SELECT seq, CONCAT('course-v1:Org+C', seq % 4, '+2024'), seq,"
                        + " (seq % 100) / 100, IF(seq % 2 = 0, NOW(6), NULL) FROM seq_1_to_600");
        AspectsFixture.create(clickhouse, "", 30_000);
    }

    @AfterAll
    static void stop() {
        if (mysql != null) {
            mysql.close();
        }
    }

    @BeforeEach
    void dropScratchCopies() throws SQLException {
        mysql.sql("DROP DATABASE IF EXISTS edxapp_rehearsal");
        clickhouse.run("DROP DATABASE IF EXISTS reporting_rehearsal", "DROP DATABASE IF EXISTS event_sink_rehearsal",
                "DROP DATABASE IF EXISTS xapi_rehearsal");
    }

    @Test
    void rehearsal_backs_up_restores_and_finds_no_loss(@TempDir Path work) {
        Rehearsal.Outcome o = Rehearsal.rehearse(mysql.url(), "root", new char[0], clickhouse.admin(), work, () -> { });

        assertThat(o.run().completed()).isTrue();
        assertThat(o.run().backups()).extracting(b -> b.target()).containsExactly(BackupTarget.MYSQL, BackupTarget.CLICKHOUSE);
        assertThat(o.commands()).contains("tutor local upgrade --from=nutmeg").contains("tutor local launch -I");
        assertThat(o.report().hasLoss()).as(o.report().toMarkdown()).isFalse();
        assertThat(o.report().only(Change.UNCHANGED)).extracting(Difference::area)
                .contains("users", "enrollments", "certificates", "completions", "grades", "passes", "clickhouse.rows", "xapi.events");
        assertThat(o.report().differences()).filteredOn(d -> d.key().equals("xapi.xapi_events_all")).singleElement()
                .satisfies(d -> assertThat(d.after()).isEqualTo(30_000));
        assertThat(o.report().toMarkdown()).contains("Verdict: **no loss found**");
    }

    @Test
    void rehearsal_catches_certificates_missing_from_the_restored_copy(@TempDir Path work) {
        Rehearsal.Outcome o = Rehearsal.rehearse(mysql.url(), "root", new char[0], clickhouse.admin(), work, () -> {
            try {
                mysql.sql("DELETE FROM edxapp_rehearsal.certificates_generatedcertificate WHERE id IN (10, 11, 12)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(o.report().hasLoss()).isTrue();
        List<Difference> losses = o.report().only(Change.LOSS);
        assertThat(losses).allSatisfy(d -> assertThat(d.area()).isEqualTo("certificates"));
        assertThat(losses.stream().mapToLong(d -> -d.delta()).sum()).isEqualTo(3);
        assertThat(o.report().toMarkdown()).contains("3 losses found");
    }
}
