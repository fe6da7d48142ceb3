package io.arborist.cli;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.mysql.ArchivedTable;
import io.arborist.mysql.MySqlArchive;
import io.arborist.mysql.MySqlRestore;
import io.arborist.tutor.MongoDbArchive;
import io.arborist.tutor.TutorRootArchive;
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
 * {@code arborist verify DIR|FILE.tar|s3://…}: checks an archive without a database (manifest, completeness, every
 * SHA-256). A directory or S3 prefix may hold a MySQL, ClickHouse, MongoDB or Tutor-root archive; a tar file is a MySQL
 * archive.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check a backup archive without a database.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|FILE.tar|s3://BUCKET/PREFIX",
            description = "Archive directory, a MySQL archive's .tar file, or an S3 prefix.")
    String archive;

    Path dir;

    @Mixin
    StoreOptions store = new StoreOptions();

    /** The key the archive was sealed with: its seal is then checked. */
    @Mixin
    ArchiveKeyOptions keys = new ArchiveKeyOptions();

    @Override
    public Integer call() {
        if (Destination.parse(archive) instanceof Destination.S3Location) {
            try (BackupStore s3 = store.open(archive, true)) {
                return verifyInStore(s3);
            }
        }
        dir = Path.of(archive);
        if (Files.isRegularFile(dir)) {
            return verifyMySql();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("archive " + dir
                    + " does not exist; give an archive directory or a MySQL archive's .tar file");
        }
        if (Files.isRegularFile(dir.resolve(ArchiveWriter.MARKER))) {
            // written through a store (an encrypted or S3 backup copied here): its manifest may need the key
            try (BackupStore local = store.open(archive, true)) {
                Optional<String> kind = MySqlArchive.kindOf(local, keys.key().map(EncryptionKey::derivedFrom));
                if (kind.isPresent() && TUTOR_KINDS.contains(kind.get())) {
                    return verifyTutorKind(kind.get(), local);
                }
            }
        }
        Optional<String> kind = MySqlArchive.kindOf(dir);
        if (kind.isEmpty() || kind.get().equals("mysql")) {
            return verifyMySql();
        }
        if (kind.get().equals("clickhouse")) {
            return verifyClickHouse();
        }
        if (kind.get().equals("mongodb")) {
            return printMongoDb(MongoDbArchive.verify(dir));
        }
        if (kind.get().equals("tutor-root")) {
            return printTutorRoot(TutorRootArchive.verify(dir));
        }
        throw new ArboristException(ErrorKind.VERIFICATION, dir + " is not an Arborist archive (manifest kind '" + kind.get()
                + "'; expected mysql, clickhouse, mongodb or tutor-root)");
    }

    /** The kinds of archive the tutor module writes (run backups of MongoDB and the Tutor root). */
    private static final java.util.Set<String> TUTOR_KINDS = java.util.Set.of("mongodb", "tutor-root");

    /** A MongoDB or Tutor-root archive in a store: every object read once and checked against the manifest. */
    private Integer verifyTutorKind(String kind, BackupStore at) {
        Optional<EncryptionKey> encryption = keys.key().map(EncryptionKey::derivedFrom);
        return kind.equals("mongodb") ? printMongoDb(MongoDbArchive.verify(at, encryption))
                : printTutorRoot(TutorRootArchive.verify(at, encryption));
    }

    private Integer printMongoDb(MongoDbArchive a) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("archive OK: %s (MongoDB, taken %s): %d collection(s), %,d bytes (%,d decompressed), SHA-256 matches%n",
                Printable.line(a.location()), a.created(), a.namespaces().size(), a.bytes(), a.uncompressedBytes());
        a.namespaces().forEach(n -> o.println("  " + Printable.line(n)));
        o.flush();
        return 0;
    }

    private Integer printTutorRoot(TutorRootArchive a) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("archive OK: %s (Tutor root %s, taken %s): %d file(s), %,d bytes, every SHA-256 matches%n",
                Printable.line(a.location()), Printable.line(a.source().toString()), a.created(), a.files(), a.bytes());
        a.skipped().forEach(n -> o.println("  not saved: " + Printable.line(n)));
        o.flush();
        return 0;
    }

    /** An archive in S3: MySQL here; ClickHouse through {@link #verifyClickHouseInStore}. */
    private Integer verifyInStore(BackupStore s3) {
        Optional<io.arborist.core.backup.ArchiveKey> key = keys.key();
        Optional<String> kind = MySqlArchive.kindOf(s3, key.map(EncryptionKey::derivedFrom));
        if (kind.isPresent() && kind.get().equals("clickhouse")) {
            return verifyClickHouseInStore(s3);
        }
        if (kind.isPresent() && TUTOR_KINDS.contains(kind.get())) {
            return verifyTutorKind(kind.get(), s3);
        }
        if (kind.isPresent() && !kind.get().equals("mysql")) {
            throw new ArboristException(ErrorKind.VERIFICATION, s3.destination() + " is not an Arborist archive (manifest kind '"
                    + kind.get() + "'; expected mysql, clickhouse, mongodb or tutor-root)");
        }
        MySqlArchive a = MySqlArchive.verify(s3, key, key.map(EncryptionKey::derivedFrom));
        print(a, key);
        Destination where = s3.destination();
        MySqlRestore.unfinished(where, MySqlRestore.journalFor(where)).ifPresent(p -> spec.commandLine().getOut().println("  " + p.describe()));
        return 0;
    }

    /** A ClickHouse archive in S3, checked as {@link #verifyClickHouse()} checks a directory. */
    private Integer verifyClickHouseInStore(BackupStore s3) {
        return reportClickHouse(s3.destination().toString(), clickHouseVerifier().verify(s3, ""), Optional.empty());
    }

    /** Lists every problem, one line each (a failure), or the archive's summary; then its notes (authentication, restores). */
    private Integer verifyClickHouse() {
        io.arborist.clickhouse.VerifyReport r = clickHouseVerifier().verify(dir);
        Optional<io.arborist.clickhouse.ClickHouseManifest> m = Optional.empty();
        if (r.ok() && Files.isRegularFile(dir.resolve(io.arborist.clickhouse.ClickHouseManifest.FILE)) && !Files.exists(dir.resolve("archive.json"))) {
            m = Optional.of(io.arborist.clickhouse.ClickHouseManifest.read(dir));
        }
        return reportClickHouse(dir.toString(), r, m);
    }

    private io.arborist.clickhouse.ClickHouseVerifier clickHouseVerifier() {
        io.arborist.clickhouse.ClickHouseVerifier.Builder v = io.arborist.clickhouse.ClickHouseVerifier.builder();
        keys.key().ifPresent(k -> v.key(k).encryption(EncryptionKey.derivedFrom(k)));
        return v.build();
    }

    private Integer reportClickHouse(String where, io.arborist.clickhouse.VerifyReport r, Optional<io.arborist.clickhouse.ClickHouseManifest> manifest) {
        PrintWriter o = spec.commandLine().getOut();
        if (r.ok()) {
            o.println(manifest.map(m -> String.format("archive OK: %s (ClickHouse %s, format %d): %d objects, %,d rows, %d file(s), %,d bytes", where,
                    m.serverVersion(), m.format(), m.objects().size(), m.rows(), r.files(), r.bytes()))
                    .orElse(String.format("archive OK: %s (ClickHouse): %d file(s), %,d bytes", where, r.files(), r.bytes())));
        }
        r.notes().forEach(n -> o.println("  " + n));
        o.flush();
        if (!r.ok()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "ClickHouse archive " + where + " failed verification: " + r.problems().size()
                    + " problem(s)\n" + String.join("\n", r.problems()));
        }
        return 0;
    }

    /** Every problem on a line of its own; the seal's state, and an unfinished restore's partial target, when any. */
    private Integer verifyMySql() {
        Optional<io.arborist.core.backup.ArchiveKey> key = keys.key();
        MySqlArchive a = MySqlArchive.verify(dir, key, key.map(EncryptionKey::derivedFrom));
        print(a, key);
        MySqlRestore.unfinished(dir).ifPresent(p -> spec.commandLine().getOut().println("  " + p.describe()));
        return 0;
    }

    private void print(MySqlArchive a, Optional<io.arborist.core.backup.ArchiveKey> key) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("archive OK: %s (MySQL, format %d, %s %s, %s)%n", a.location(), a.formatVersion(), a.flavour(), a.serverVersion(),
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
    }
}
