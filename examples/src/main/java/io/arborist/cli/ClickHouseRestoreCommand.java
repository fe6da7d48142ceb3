package io.arborist.cli;

import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.TableCheck;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arborist restore clickhouse}: a backup (a directory or an S3 prefix, decrypted with the archive key when encrypted) into a server, verified table by table, resumable; or, with
 * {@code --cleanup}, drops what an unfinished restore created.
 */
@Command(name = "clickhouse", mixinStandardHelpOptions = true, description = "Restore a ClickHouse backup over HTTP (resumes an interrupted run;"
        + " --cleanup drops what an unfinished one created).")
final class ClickHouseRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClickHouseConnection connection = new ClickHouseConnection();

    @Mixin
    ArchiveKeyOptions key = new ArchiveKeyOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--from", required = true, paramLabel = "DEST", description = "Backup directory, or s3://BUCKET/PREFIX (an encrypted archive"
            + " needs --key-file or --key-env).")
    String from;

    @Option(names = "--rename", split = ",", paramLabel = "OLD=NEW", description = "Restore database OLD as NEW (repeatable).")
    List<String> renames = List.of();

    @Option(names = "--if-exists", paramLabel = "POLICY", description = "fail (default), drop or append, for objects that already exist.")
    String ifExists = "fail";

    @Option(names = "--journal", paramLabel = "FILE", description = "Restore journal (default: DIR.restore.journal, next to"
            + " the backup; for s3:// ~/.arborist/restore-journals/s3/BUCKET/PREFIX/restore.journal).")
    Path journal;

    @Option(names = "--skip", split = ",", paramLabel = "DB.NAME", description = "Leave out an object of the backup (repeatable), e.g. one the"
            + " restore refuses because it reaches outside the server; create it by hand.")
    List<String> skip = List.of();

    @Option(names = "--allow-reads-from", split = ",", paramLabel = "DB", description = "Let restored views, materialized views and dictionaries"
            + " read this database outside the restore (repeatable; default: only the restored databases).")
    List<String> readable = List.of();

    @Option(names = "--allow-other-objects", description = "Restore into databases that already hold objects the backup does not have"
            + " (default: refused).")
    boolean allowOtherObjects;

    @Option(names = "--cleanup", description = "Drop what an unfinished restore (same --url and --rename) created, remove its journal, and stop.")
    boolean cleanup;

    @Override
    public Integer call() {
        ClickHouseRestore.Builder b = ClickHouseRestore.using(connection.endpoint());
        for (String r : renames) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new IllegalArgumentException("--rename wants OLD=NEW, got '" + r + "'");
            }
            b.rename(r.substring(0, eq), r.substring(eq + 1));
        }
        try {
            b.ifExists(ConflictPolicy.valueOf(ifExists.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--if-exists must be fail, drop or append, got '" + ifExists + "'");
        }
        if (journal != null) {
            b.journal(journal);
        }
        key.key().ifPresent(k -> b.key(k).encryption(EncryptionKey.derivedFrom(k)));
        skip.forEach(b::skip);
        readable.forEach(b::allowReadsFrom);
        b.allowOtherObjects(allowOtherObjects);
        PrintWriter o = spec.commandLine().getOut();
        Destination d = Destination.parse(from);
        ClickHouseRestore restore = b.build();
        if (d instanceof Destination.LocalDirectory local) {
            return run(() -> restore.cleanup(local.directory()), () -> restore.restore(local.directory()), o);
        }
        try (BackupStore s = store.open(from, true)) {
            return run(() -> restore.cleanup(s, ""), () -> restore.restore(s, ""), o);
        }
    }

    private int run(Supplier<RestoreCleanup> cleanUp, Supplier<RestoreReport> restore, PrintWriter o) {
        if (cleanup) {
            RestoreCleanup c = cleanUp.get();
            if (c.dropped().isEmpty() && c.kept().isEmpty()) {
                o.println("nothing to clean up: no unfinished restore of " + from + " into that target");
            } else {
                o.printf("cleaned up: dropped %d object(s) and database(s) the unfinished restore created%n", c.dropped().size());
                c.dropped().forEach(d -> o.println("  dropped " + d));
                c.kept().forEach(k -> o.println("  kept " + k));
            }
            return 0;
        }
        RestoreReport r = restore.get();
        o.printf("restore OK: %d file(s) loaded, %d already loaded, %,d rows, %s%n", r.filesLoaded(), r.filesSkipped(), r.rows(), r.took());
        for (TableCheck t : r.tables()) {
            o.printf("  %s: %,d rows %s%s%n", t.qualifiedName(), t.actualRows(), t.matches() ? "match" : "DIFFER", t.note().isEmpty() ? "" : " (" + t.note() + ")");
        }
        return 0;
    }
}
