package io.arborist.examples;

import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.RestoreReport;
import io.arborist.mysql.MySqlArchive;
import io.arborist.mysql.MySqlBackup;
import io.arborist.mysql.MySqlRestore;
import java.nio.file.Path;

/**
 * Backs up {@code edxapp}, verifies the archive without a database, and restores it as {@code edxapp_rehearsal}
 * with row counts and checksums checked per table.
 *
 * <p>Run: {@code java -cp "$(./arborist classpath)" io.arborist.examples.MySqlBackupExample jdbc:mysql://127.0.0.1:3306 /tmp/b}
 * (password from MYSQL_PWD).
 */
public final class MySqlBackupExample {
    private MySqlBackupExample() {
    }

    /** @param args JDBC URL, an empty backup directory */
    public static void main(String[] args) {
        String url = args[0];
        Credentials root = Credentials.of("root", System.getenv().getOrDefault("MYSQL_PWD", "").toCharArray());
        // tag::mysql[]
        MySqlArchive archive = MySqlBackup.using(url, root).databases("edxapp").parallelism(2).build()
                .backup(Path.of(args[1]));
        MySqlArchive.verify(archive.directory());                       // every SHA-256, the manifest, completeness

        RestoreReport report = MySqlRestore.using(url, root).rename("edxapp", "edxapp_rehearsal").build()
                .restore(archive.directory());
        // end::mysql[]
        root.close();
        System.out.printf("backed up %d tables, %d rows; restored %d rows, all tables match: %s%n",
                archive.tables().size(), archive.rows(), report.rows(), report.allMatch());
    }
}
