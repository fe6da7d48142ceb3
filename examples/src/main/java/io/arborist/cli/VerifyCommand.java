package io.arborist.cli;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.mysql.ArchivedTable;
import io.arborist.mysql.MySqlArchive;
import io.arborist.mysql.MySqlRestore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code arborist verify DIR|FILE.tar}: checks an archive without a database (manifest, completeness, every SHA-256).
 * A directory may hold a MySQL or a ClickHouse archive; a tar file is a MySQL archive.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check a backup archive without a database.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|FILE.tar",
            description = "Archive directory, or a MySQL archive's .tar file.")
    Path dir;

    /** The key the archive was sealed with: its seal is then checked. */
    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Override
    public Integer call() {
        if (Files.isRegularFile(dir)) {
            return verifyMySql();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("archive " + dir
                    + " does not exist; give an archive directory or a MySQL archive's .tar file");
        }
        Optional<String> kind = MySqlArchive.kindOf(dir);
        if (kind.isEmpty() || kind.get().equals("mysql")) {
            return verifyMySql();
        }
        if (kind.get().equals("clickhouse")) {
            return verifyClickHouse();
        }
        throw new ArboristException(ErrorKind.VERIFICATION, dir + " is not a MySQL archive (manifest kind '" + kind.get() + "')");
    }

    /** Lists every problem, one line each (a failure), or the archive's summary; then its notes (authentication, restores). */
    private Integer verifyClickHouse() {
        io.arborist.clickhouse.ClickHouseVerifier.Builder v = io.arborist.clickhouse.ClickHouseVerifier.builder();
        keys.key().ifPresent(v::key);
        io.arborist.clickhouse.VerifyReport r = v.build().verify(dir);
        PrintWriter o = spec.commandLine().getOut();
        if (r.ok()) {
            io.arborist.clickhouse.ClickHouseManifest m = io.arborist.clickhouse.ClickHouseManifest.read(dir);
            o.printf("archive OK: %s (ClickHouse %s, format %d): %d objects, %,d rows, %d file(s), %,d bytes%n", dir,
                    m.serverVersion(), m.format(), m.objects().size(), m.rows(), r.files(), r.bytes());
        }
        r.notes().forEach(n -> o.println("  " + n));
        o.flush();
        if (!r.ok()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "ClickHouse archive " + dir + " failed verification: " + r.problems().size()
                    + " problem(s)\n" + String.join("\n", r.problems()));
        }
        return 0;
    }

    /** Every problem on a line of its own; the seal's state, and an unfinished restore's partial target, when any. */
    private Integer verifyMySql() {
        Optional<io.arborist.core.backup.ArchiveKey> key = keys.key();
        MySqlArchive a = key.map(k -> MySqlArchive.verify(dir, k)).orElseGet(() -> MySqlArchive.verify(dir));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("archive OK: %s (MySQL, format %d, %s %s, %s)%n", a.directory(), a.formatVersion(), a.flavour(), a.serverVersion(),
                a.consistency());
        for (ArchivedTable t : a.tables()) {
            o.printf("  %s.%s: %,d rows, %d file(s)%n", t.database(), t.table(), t.rows(), t.chunks());
        }
        o.printf("  %d objects, %,d bytes%n", a.objects().size(), a.bytes());
        o.println(switch (a.seal()) {
            case VERIFIED -> "  authenticated: the seal matches the archive key " + key.orElseThrow().fingerprint();
            case NOT_CHECKED -> "  sealed, not authenticated: give --key-file or --key-env to check the seal";
            case ABSENT -> "  unauthenticated: the archive has no seal (back up with --key-file or --key-env to seal it)";
        });
        MySqlRestore.unfinished(dir).ifPresent(p -> o.println("  " + p.describe()));
        return 0;
    }
}
