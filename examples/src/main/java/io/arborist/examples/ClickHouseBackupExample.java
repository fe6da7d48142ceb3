package io.arborist.examples;

import io.arborist.clickhouse.ClickHouseBackup;
import io.arborist.clickhouse.ClickHouseEndpoint;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import java.nio.file.Path;

/**
 * Backs up the Aspects {@code xapi} database over HTTP and restores it as {@code xapi_rehearsal}, checking counts and
 * server-side checksums per table.
 *
 * <p>Run: {@code java -cp "$(./arborist classpath)" io.arborist.examples.ClickHouseBackupExample http://127.0.0.1:8123 /tmp/ch}
 * (password from CLICKHOUSE_PASSWORD).
 */
public final class ClickHouseBackupExample {
    private ClickHouseBackupExample() {
    }

    /** @param args ClickHouse HTTP URL, an empty backup directory */
    public static void main(String[] args) {
        ClickHouseEndpoint clickhouse = ClickHouseEndpoint.of(args[0],
                Credentials.of("default", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "").toCharArray()));
        // tag::clickhouse[]
        ClickHouseManifest manifest = ClickHouseBackup.using(clickhouse).databases("xapi").build().backup(Path.of(args[1]));

        RestoreReport report = ClickHouseRestore.using(clickhouse).rename("xapi", "xapi_rehearsal").build()
                .restore(Path.of(args[1]));
        // end::clickhouse[]
        System.out.printf("backed up %s; restored %d rows, all tables match: %s%n", manifest.databases().size() + " databases",
                report.rows(), report.allMatch());
    }
}
