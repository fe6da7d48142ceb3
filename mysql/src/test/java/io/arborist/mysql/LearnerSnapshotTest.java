package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.arborist.core.report.Change;
import io.arborist.core.report.Difference;
import io.arborist.core.report.Measure;
import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import io.arborist.mysql.internal.Connections;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

class LearnerSnapshotTest {
    private static final String DB = "learner_edxapp";
    private static final String C1 = "course-v1:Org+C1+2024";
    private static final String C2 = "course-v1:Org+C2+2024";

    private DbServer server;
    private DataSource dataSource;

    /** A small edxapp: the tables and columns of the real schema that the snapshot counts, with traps around them. */
    @BeforeEach
    void createEdxapp(DbServer server) throws Exception {
        this.server = server;
        this.dataSource = Connections.fromUrl(server.url(), "root", new char[0]);
        server.sql("DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB + " CHARACTER SET utf8mb4", "USE " + DB,
                "CREATE TABLE auth_user (id INT PRIMARY KEY AUTO_INCREMENT, username VARCHAR(150) NOT NULL UNIQUE,"
                        + " email VARCHAR(254) NOT NULL, is_active TINYINT(1) NOT NULL)",
                "INSERT INTO auth_user (username, email, is_active) VALUES ('ana', 'ana@example.com', 1),"
                        + " ('bo', 'bo@example.com', 1), ('cy', 'cy@example.com', 0), ('dé', 'de@example.com', 1)",
                "CREATE TABLE student_courseenrollment (id INT PRIMARY KEY AUTO_INCREMENT, course_id VARCHAR(255) NOT NULL,"
                        + " created DATETIME(6) NULL, is_active TINYINT(1) NOT NULL, mode VARCHAR(100) NOT NULL, user_id INT NOT NULL,"
                        + " UNIQUE KEY (user_id, course_id))",
                // C1: 2 active audit, 1 active verified, 1 inactive verified (not counted); C2: 1 active audit
                "INSERT INTO student_courseenrollment (course_id, created, is_active, mode, user_id) VALUES"
                        + " ('" + C1 + "', NOW(6), 1, 'audit', 1), ('" + C1 + "', NOW(6), 1, 'audit', 2),"
                        + " ('" + C1 + "', NOW(6), 1, 'verified', 3), ('" + C1 + "', NOW(6), 0, 'verified', 4),"
                        + " ('" + C2 + "', NOW(6), 1, 'audit', 1)",
                "CREATE TABLE certificates_generatedcertificate (id INT PRIMARY KEY AUTO_INCREMENT, user_id INT NOT NULL,"
                        + " course_id VARCHAR(255) NOT NULL, status VARCHAR(32) NOT NULL, mode VARCHAR(32) NOT NULL,"
                        + " grade VARCHAR(5) NOT NULL, UNIQUE KEY (user_id, course_id))",
                "INSERT INTO certificates_generatedcertificate (user_id, course_id, status, mode, grade) VALUES"
                        + " (1, '" + C1 + "', 'downloadable', 'audit', '0.9'), (2, '" + C1 + "', 'downloadable', 'audit', '0.8'),"
                        + " (3, '" + C1 + "', 'notpassing', 'verified', '0.2'), (1, '" + C2 + "', 'downloadable', 'audit', '1.0')",
                // the real column is course_key (the model field context_key has db_column='course_key')
                "CREATE TABLE completion_blockcompletion (id BIGINT PRIMARY KEY AUTO_INCREMENT, user_id INT NOT NULL,"
                        + " course_key VARCHAR(255) NOT NULL, block_key VARCHAR(255) NOT NULL, block_type VARCHAR(64) NOT NULL,"
                        + " completion DOUBLE NOT NULL, UNIQUE KEY (course_key, block_key, user_id))",
                // C1: 3 with some completion, 1 at 0.0 (not counted); C2: 1
                "INSERT INTO completion_blockcompletion (user_id, course_key, block_key, block_type, completion) VALUES"
                        + " (1, '" + C1 + "', 'b1', 'html', 1.0), (1, '" + C1 + "', 'b2', 'html', 0.5), (2, '" + C1 + "', 'b1', 'html', 1.0),"
                        + " (3, '" + C1 + "', 'b1', 'html', 0.0), (1, '" + C2 + "', 'b1', 'html', 1.0)",
                "CREATE TABLE grades_persistentcoursegrade (id BIGINT PRIMARY KEY AUTO_INCREMENT, user_id INT NOT NULL,"
                        + " course_id VARCHAR(255) NOT NULL, percent_grade DOUBLE NOT NULL, letter_grade VARCHAR(255) NOT NULL,"
                        + " passed_timestamp DATETIME(6) NULL, UNIQUE KEY (course_id, user_id))",
                // C1: 3 grades, 2 passed; C2: 1 grade, not passed
                "INSERT INTO grades_persistentcoursegrade (user_id, course_id, percent_grade, letter_grade, passed_timestamp) VALUES"
                        + " (1, '" + C1 + "', 0.9, 'Pass', NOW(6)), (2, '" + C1 + "', 0.8, 'Pass', NOW(6)),"
                        + " (3, '" + C1 + "', 0.2, '', NULL), (1, '" + C2 + "', 0.4, '', NULL)");
    }

    private static Map<String, Long> counts(Snapshot s) {
        Map<String, Long> out = new TreeMap<>();
        for (Measure m : s.measures()) {
            out.merge(m.area() + " " + m.key(), m.value(), Long::sum);
        }
        return out;
    }

    @EachServer
    void countsLearnersDataPerCourseModeAndStatus() {
        Snapshot s = LearnerSnapshot.of(dataSource, DB).take();

        assertThat(s.missingTables()).isEmpty();
        assertThat(s.source()).isEqualTo("mysql " + DB);
        assertThat(counts(s)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("users *", 4L),
                Map.entry("enrollments " + C1 + "/audit", 2L),
                Map.entry("enrollments " + C1 + "/verified", 1L),
                Map.entry("enrollments " + C2 + "/audit", 1L),
                Map.entry("certificates " + C1 + "/downloadable", 2L),
                Map.entry("certificates " + C1 + "/notpassing", 1L),
                Map.entry("certificates " + C2 + "/downloadable", 1L),
                Map.entry("completions " + C1, 3L),
                Map.entry("completions " + C2, 1L),
                Map.entry("grades " + C1, 3L),
                Map.entry("grades " + C2, 1L),
                Map.entry("passes " + C1, 2L)));
        // the same database twice: nothing lost, nothing changed
        SnapshotComparison same = SnapshotComparison.compare(s, LearnerSnapshot.of(dataSource, DB).take());
        assertThat(same.hasLoss()).isFalse();
        assertThat(same.differences()).extracting(Difference::change).containsOnly(Change.UNCHANGED);
    }

    @EachServer
    void aDeletedCertificateIsALoss() throws Exception {
        Snapshot before = LearnerSnapshot.of(dataSource, DB).take();
        server.sql("DELETE FROM " + DB + ".certificates_generatedcertificate WHERE user_id = 2 AND course_id = '" + C1 + "'");
        Snapshot after = LearnerSnapshot.of(dataSource, DB).describedAs("after the upgrade").take();

        SnapshotComparison report = SnapshotComparison.compare(before, after);

        assertThat(report.hasLoss()).isTrue();
        assertThat(report.only(Change.LOSS)).extracting(Difference::area, Difference::key, Difference::before, Difference::after)
                .containsExactly(tuple("certificates", C1 + "/downloadable", 2L, 1L));
        assertThat(after.source()).isEqualTo("after the upgrade");
        assertThat(report.toMarkdown()).contains("1 loss found").contains("certificates " + C1 + "/downloadable: 2 -> 1 (-1)");
    }

    @EachServer
    void aDroppedTableIsReportedMissingNotAFailure() throws Exception {
        Snapshot before = LearnerSnapshot.of(dataSource, DB).take();
        server.sql("DROP TABLE " + DB + ".grades_persistentcoursegrade");

        Snapshot after = LearnerSnapshot.of(dataSource, DB).take();

        // listed once although two measures (grades, passes) read it
        assertThat(after.missingTables()).containsExactly(DB + ".grades_persistentcoursegrade");
        assertThat(counts(after)).doesNotContainKeys("grades " + C1, "passes " + C1).containsEntry("users *", 4L);
        SnapshotComparison report = SnapshotComparison.compare(before, after);
        assertThat(report.only(Change.MISSING_TABLE)).extracting(Difference::key).containsExactly(DB + ".grades_persistentcoursegrade");
    }

    @EachServer
    void theRenamedCompletionColumnIsFoundUnderEitherName() throws Exception {
        server.sql("ALTER TABLE " + DB + ".completion_blockcompletion CHANGE course_key context_key VARCHAR(255) NOT NULL");
        assertThat(counts(LearnerSnapshot.of(dataSource, DB).take())).containsEntry("completions " + C1, 3L)
                .containsEntry("completions " + C2, 1L);

        server.sql("ALTER TABLE " + DB + ".completion_blockcompletion CHANGE context_key learning_context VARCHAR(255) NOT NULL");
        Snapshot s = LearnerSnapshot.of(dataSource, DB).take();
        assertThat(s.missingTables()).containsExactly(DB + ".completion_blockcompletion");
        assertThat(counts(s)).containsEntry("users *", 4L);
    }

    @EachServer
    void aMissingDatabaseReadsAsAllTablesMissing() {
        Snapshot s = LearnerSnapshot.of(dataSource, "no_such_edxapp").take();
        assertThat(s.measures()).isEmpty();
        assertThat(s.missingTables()).hasSize(5).allMatch(t -> t.startsWith("no_such_edxapp."));
    }
}
