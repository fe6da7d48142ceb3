package io.arborist.cli;

import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.mysql.DefinerPolicy;
import io.arborist.mysql.MySqlRestore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arborist restore mysql}: restores an archive, resumably, and verifies it; with {@code --cleanup}, drops what an
 * unfinished restore with the same settings created.
 */
@Command(name = "mysql", mixinStandardHelpOptions = true,
        description = "Restore a MySQL archive (run again to resume; --cleanup drops what an unfinished one created).")
final class MySqlRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MySqlConnectionOptions connection = new MySqlConnectionOptions();

    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Option(names = "--cleanup", description = "Instead of restoring: drop the tables, objects and databases an unfinished restore"
            + " of this archive with the same --url, --user and --rename created (rows appended to older tables and users stay).")
    boolean cleanup;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--from", required = true, paramLabel = "DIR|FILE.tar|s3://BUCKET/PREFIX",
            description = "Archive directory, .tar file or S3 prefix.")
    String from;

    @Option(names = "--journal", paramLabel = "FILE", description = "Where the restore journal of an s3:// archive is kept"
            + " (default: ~/.cache/arborist/restores/, on this machine; nothing is written to the bucket).")
    Path journal;

    @Option(names = "--rename", paramLabel = "OLD=NEW", description = "Restore database OLD as NEW (repeatable).")
    List<String> renames = new ArrayList<>();

    @Option(names = "--if-exists", paramLabel = "fail|drop|append", defaultValue = "fail",
            description = "When the target has the archive's objects (default: ${DEFAULT-VALUE}).")
    String ifExists;

    @Option(names = {"--parallelism", "--threads"}, paramLabel = "N", description = "Parallel workers (default: processors).")
    Integer parallelism;

    @Option(names = "--restore-users", description = "Also recreate saved users and grants.")
    boolean restoreUsers;

    @Option(names = "--definers", paramLabel = "keep|current-user", defaultValue = "keep",
            description = "Who owns restored views, routines, triggers and events: their original definer, checked to exist"
                    + " on the target (default), or the restoring account.")
    String definers;

    @Option(names = "--skip-binlog", description = "Keep the restore out of the binary log (faster; replicas do not get the data).")
    boolean skipBinlog;

    @Override
    public Integer call() {
        boolean s3 = Destination.parse(from) instanceof Destination.S3Location;
        if (!s3 && !Files.exists(Path.of(from))) {
            throw new IllegalArgumentException("--from " + from
                    + ": no such archive directory or .tar file; give the path a backup wrote");
        }
        ConflictPolicy policy;
        try {
            policy = ConflictPolicy.valueOf(ifExists.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--if-exists must be fail, drop or append, got '" + ifExists + "'");
        }
        DefinerPolicy definerPolicy = switch (definers) {
            case "keep" -> DefinerPolicy.KEEP;
            case "current-user" -> DefinerPolicy.CURRENT_USER;
            default -> throw new IllegalArgumentException("--definers must be keep or current-user, got '" + definers + "'");
        };
        MySqlRestore.Builder b;
        try (Credentials credentials = Passwords.credentials(connection.user, connection.password())) {
            b = MySqlRestore.using(connection.url, credentials);
        }
        b.tls(connection.tls())
                .ifExists(policy)
                .restoreUsers(restoreUsers).skipBinlog(skipBinlog).definers(definerPolicy).listener(MySqlConnectionOptions.progressLine(spec.commandLine().getErr()));
        for (String r : renames) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new IllegalArgumentException("--rename takes OLD=NEW, got '" + r + "'");
            }
            b.rename(r.substring(0, eq), r.substring(eq + 1));
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        keys.key().ifPresent(k -> b.key(k).decryptWith(EncryptionKey.derivedFrom(k)));
        if (journal != null) {
            b.journal(journal);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (s3) {
            try (BackupStore archive = store.open(from, true)) {
                return run(b.build(), archive, o);
            }
        }
        if (cleanup) {
            List<String> done = b.build().cleanup(Path.of(from)).lines();
            o.println("cleanup complete: " + (done.isEmpty() ? "the unfinished restore had created nothing" : done.size() + " step(s)"));
            done.forEach(l -> o.println("  " + l));
            return 0;
        }
        return report(b.build().restore(Path.of(from)), o);
    }

    private Integer run(MySqlRestore restore, BackupStore archive, PrintWriter o) {
        if (cleanup) {
            List<String> done = restore.cleanup(archive).lines();
            o.println("cleanup complete: " + (done.isEmpty() ? "the unfinished restore had created nothing" : done.size() + " step(s)"));
            done.forEach(l -> o.println("  " + l));
            return 0;
        }
        return report(restore.restore(archive), o);
    }

    private static Integer report(RestoreReport report, PrintWriter o) {
        o.printf("restore complete%s: %d chunks, %,d rows in %ds; verification:%n", report.resumed() ? " (resumed)" : "",
                report.filesLoaded(), report.rows(), report.took().toSeconds());
        report.tables().stream().map(TableCheck::describe).forEach(l -> o.println("  " + l));
        return 0;
    }
}
