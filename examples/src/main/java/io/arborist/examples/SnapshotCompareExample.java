package io.arborist.examples;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.arborist.clickhouse.AspectsSnapshot;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.core.backup.Credentials;
import io.arborist.core.report.Snapshot;
import io.arborist.core.report.SnapshotComparison;
import io.arborist.mysql.LearnerSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes a snapshot of learner data (MySQL edxapp and the Aspects ClickHouse databases), saves it, and compares it
 * with an earlier one: the no-data-loss report. Exit status 1 on loss.
 *
 * <p>Run: {@code java -cp "$(./arborist classpath)" io.arborist.examples.SnapshotCompareExample jdbc:mysql://127.0.0.1:3306
 * http://127.0.0.1:8123 before.json after.json} (the first run only writes before.json).
 */
public final class SnapshotCompareExample {
    private SnapshotCompareExample() {
    }

    /** @param args JDBC URL, ClickHouse URL, the earlier snapshot file, the file for this one */
    public static void main(String[] args) throws IOException {
        System.exit(run(args));
    }

    static int run(String[] args) throws IOException {
        MysqlDataSource mysql = new MysqlDataSource();
        mysql.setUrl(args[0]);
        mysql.setUser("root");
        mysql.setPassword(System.getenv().getOrDefault("MYSQL_PWD", ""));
        ClickHouseEndpoint clickhouse = ClickHouseEndpoint.of(args[1],
                Credentials.of("default", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "").toCharArray()));
        // tag::snapshot[]
        Snapshot now = LearnerSnapshot.of(mysql, "edxapp").take().plus(AspectsSnapshot.of(clickhouse).take());
        Files.writeString(Path.of(args[3]), now.toJson());
        if (Files.exists(Path.of(args[2]))) {
            SnapshotComparison report = SnapshotComparison.compare(Snapshot.fromJson(Files.readString(Path.of(args[2]))), now);
            System.out.println(report.toMarkdown());
            return report.hasLoss() ? 1 : 0;
        }
        // end::snapshot[]
        return 0;
    }
}
