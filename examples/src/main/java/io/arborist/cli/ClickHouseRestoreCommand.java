package io.arborist.cli;

import io.arborist.clickhouse.ClickHouseRestore;
import io.arborist.clickhouse.ConflictPolicy;
import io.arborist.clickhouse.RestoreReport;
import io.arborist.clickhouse.TableCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arborist restore clickhouse}: a backup directory into a server, verified table by table, resumable. */
@Command(name = "clickhouse", mixinStandardHelpOptions = true, description = "Restore a ClickHouse backup over HTTP (resumes an interrupted run).")
final class ClickHouseRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClickHouseConnection connection = new ClickHouseConnection();

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Backup directory.")
    Path from;

    @Option(names = "--rename", split = ",", paramLabel = "OLD=NEW", description = "Restore database OLD as NEW (repeatable).")
    List<String> renames = List.of();

    @Option(names = "--if-exists", paramLabel = "POLICY", description = "fail (default), drop or append, for objects that already exist.")
    String ifExists = "fail";

    @Option(names = "--journal", paramLabel = "FILE", description = "Restore journal (default: DIR/restore.journal).")
    Path journal;

    @Override
    public Integer call() {
        ClickHouseRestore.Builder b = ClickHouseRestore.builder(connection.endpoint());
        for (String r : renames) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new IllegalArgumentException("--rename wants OLD=NEW, got '" + r + "'");
            }
            b.renameDatabase(r.substring(0, eq), r.substring(eq + 1));
        }
        try {
            b.ifExists(ConflictPolicy.valueOf(ifExists.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--if-exists must be fail, drop or append, got '" + ifExists + "'");
        }
        if (journal != null) {
            b.journal(journal);
        }
        RestoreReport r = b.build().restore(from);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("restore OK: %d file(s) loaded, %d already loaded, %,d rows, %s%n", r.filesLoaded(), r.filesSkipped(), r.rows(), r.took());
        for (TableCheck t : r.tables()) {
            o.printf("  %s: %,d rows %s%s%n", t.table(), t.actualRows(), t.ok() ? "match" : "DIFFER", t.note().isEmpty() ? "" : " (" + t.note() + ")");
        }
        return 0;
    }
}
