package io.arborist.cli;

import io.arborist.core.backup.Credentials;
import io.arborist.core.report.Snapshot;
import io.arborist.mysql.LearnerSnapshot;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist snapshot}: counts what learners have, for the no-data-loss report. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Count learners' certificates, enrollments, completions, grades (MySQL) and Aspects rows (ClickHouse) into a JSON snapshot.")
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataStoreOptions stores = new DataStoreOptions();

    @Option(names = "--database", paramLabel = "DB", defaultValue = "edxapp", description = "The edxapp database (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--mysql-tls", paramLabel = "preferred|require|verify-ca|verify-identity",
            description = "TLS to MySQL: used when offered (preferred, the default), required, or required and verified.")
    String mysqlTls;

    @Option(names = "--mysql-tls-ca", paramLabel = "FILE",
            description = "PEM file of the authorities that sign the MySQL server's certificate (implies --mysql-tls verify-ca).")
    Path mysqlTlsCa;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write the snapshot JSON, readable by you only (it describes learners' data).")
    Path out;

    @Override
    public Integer call() {
        Optional<String> mysql = stores.mysqlUrl();
        if (mysql.isEmpty() && stores.clickhouse().isEmpty()) {
            throw new IllegalArgumentException("give --mysql-url and/or --clickhouse-url to take a snapshot of");
        }
        Snapshot snapshot = null;
        if (mysql.isPresent()) {
            try (Credentials credentials = Passwords.credentials(stores.mysqlUser, stores.mysqlPassword())) {
                snapshot = LearnerSnapshot.of(mysql.get(), credentials, database, MySqlConnectionOptions.tls(mysqlTls, mysqlTlsCa, "--mysql-tls"))
                        .take();
            }
        }
        if (stores.clickhouse().isPresent()) {
            Snapshot ch = ClickHouseSnapshots.take(stores);
            snapshot = snapshot == null ? ch : snapshot.plus(ch);
        }
        InputFiles.writeOwnerOnly(out, snapshot.toJson());
        spec.commandLine().getOut().printf("snapshot of %s: %d counts, %d missing tables -> %s%n", snapshot.source(),
                snapshot.measures().size(), snapshot.missingTables().size(), out);
        return 0;
    }
}
