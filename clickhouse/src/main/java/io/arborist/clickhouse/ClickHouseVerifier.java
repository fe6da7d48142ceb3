package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.ArchiveSource;
import io.arborist.clickhouse.internal.ManifestJson;
import io.arborist.clickhouse.internal.ManifestSeal;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a ClickHouse backup directory without a server, and lists every problem it finds (one line each): the
 * manifest is present, readable and matches its checksum; with a {@link Builder#key key}, its seal matches (the
 * archive is authenticated); every data and schema file exists as a regular file with the recorded size and SHA-256
 * (a single flipped or missing byte is found); and every statement a restore would run is one {@code CREATE} of the
 * kind and name the manifest lists, in the object's own database. Objects a restore refuses unless skipped (engines
 * and functions reaching beyond the server's own tables) and reads outside the archive's databases are listed as notes,
 * as are how the archive was authenticated and an unfinished restore of it. A server-side backup
 * ({@link ClickHouseManifest#serverBackup()}) has no data files here: only its manifest is checked, and its rows are
 * verified against the manifest's checksums when restored.
 *
 * <pre>{@code
 * VerifyReport r = ClickHouseVerifier.builder().key(key).build().verify(Path.of("/backups/aspects"));
 * r.problems().forEach(System.out::println);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClickHouseVerifier {
    private final BackupListener listener;
    private final Optional<ArchiveKey> key;
    private final Optional<EncryptionKey> encryption;

    private ClickHouseVerifier(Builder b) {
        this.listener = b.listener;
        this.key = b.key;
        this.encryption = b.encryption;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param directory a backup directory
     * @return what was found; a missing manifest is a problem, not an exception
     */
    public VerifyReport verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try (ArchiveSource source = ArchiveSource.directory(directory, encryption)) {
            return verify(source);
        } catch (ArboristException e) {
            return new VerifyReport(directory.toString(), 0, 0, List.of(e.getMessage()), false, List.of());
        }
    }

    /**
     * Checks an archive in a store (an S3 prefix, or a local directory): as {@link #verify(Path)}, streaming each file
     * from the store (decrypted with the {@link Builder#encryption key} when the archive is encrypted) and checking its
     * SHA-256 as it streams.
     *
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""} for the store itself
     * @return what was found; a missing or partial archive, or an encrypted one without its key or with another key,
     *     is one problem, not an exception
     */
    public VerifyReport verify(BackupStore store, String archive) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(archive, "archive");
        try (ArchiveSource source = ArchiveSource.store(store, archive, encryption)) {
            return verify(source);
        } catch (ArboristException e) {
            String where = (archive.isEmpty() ? store : store.within(archive)).destination().toString();
            return new VerifyReport(where, 0, 0, List.of(e.getMessage()), false, List.of());
        }
    }

    VerifyReport verify(ArchiveSource source) {
        return verify(source, true);
    }

    /**
     * @param contents whether to read every file and check its SHA-256, or only that it is there with its recorded size
     *     (after a backup into S3, whose store checked each part's Content-MD5 on arrival)
     */
    VerifyReport verify(ArchiveSource source, boolean contents) {
        String directory = source.where();
        List<String> notes = new ArrayList<>();
        ClickHouseRestore.partial(ClickHouseRestore.defaultJournal(source)).ifPresent(p -> notes.add(p.describe()));
        byte[] bytes;
        try {
            bytes = source.manifest();
        } catch (ArboristException e) {
            return new VerifyReport(directory, 0, 0, List.of(e.getMessage()), false, notes);
        }
        List<String> problems = new ArrayList<>();
        Optional<ClickHouseManifest> parsed;
        try {
            parsed = Optional.of(ManifestJson.parse(source.directory().map(d -> d.resolve(ClickHouseManifest.FILE).toString())
                    .orElse(directory + ClickHouseManifest.FILE), bytes));
        } catch (ArboristException e) {
            parsed = Optional.empty();
            problems.add(e.getMessage());
        }
        ManifestSeal.Status seal = ManifestSeal.check(source, bytes, parsed.map(ClickHouseManifest::format).orElse(0), key);
        problems.addAll(seal.problems());
        notes.add(0, seal.note());
        if (parsed.isEmpty()) {
            return new VerifyReport(directory, 0, 0, problems, false, notes);
        }
        ClickHouseManifest m = parsed.get();
        problems.addAll(ArchiveCheck.structure(m));
        ArchiveCheck.Statements s = ArchiveCheck.statements(m, ArchiveCheck.scope(m, Map.of(), Set.of()), Map.of(), Set.of());
        problems.addAll(s.problems());
        s.outside().forEach(o -> notes.add("a restore refuses " + o + " (skip it and create it by hand)"));
        s.outsideReads().forEach(r -> notes.add("a restore refuses " + r + " unless those databases are allowed"));
        Instant start = Instant.now();
        int files = 0;
        long bytesRead = 0;
        int total = (int) (m.objects().stream().flatMap(o -> o.chunks().stream()).filter(c -> !c.file().isEmpty()).count() + m.files().size());
        for (ManifestObject o : m.objects()) {
            for (ManifestChunk c : o.chunks()) {
                if (c.file().isEmpty()) {
                    if (m.serverBackup().isEmpty()) {
                        problems.add(ArchiveCheck.shown(o.qualifiedName()) + ": a chunk has no data file and the manifest names no server-side backup");
                    }
                    continue;
                }
                (contents ? check(source, c.file(), c.bytes(), c.sha256()) : source.present(c.file(), c.bytes()))
                        .ifPresent(p -> problems.add(ArchiveCheck.shown(o.qualifiedName()) + ": " + p));
                files++;
                bytesRead += c.bytes();
                Duration elapsed = Duration.between(start, Instant.now());
                listener.progress(new BackupProgress("verify", o.qualifiedName(), 0, -1, bytesRead, files, total, elapsed, Optional.empty()));
            }
        }
        for (ManifestFile f : m.files()) {
            check(source, f.path(), f.bytes(), f.sha256()).ifPresent(problems::add);
            files++;
            bytesRead += f.bytes();
        }
        return new VerifyReport(directory, files, bytesRead, problems, seal.authenticated(), notes);
    }

    /** @return the problem with one data file, if any */
    static Optional<String> check(ArchiveSource source, ManifestChunk c) {
        return check(source, c.file(), c.bytes(), c.sha256());
    }

    /** @return the problem with one file, if any: missing, not a regular file, another size or another SHA-256 */
    private static Optional<String> check(ArchiveSource source, String file, long bytes, String sha256) {
        Optional<String> missing = source.present(file, bytes);
        if (missing.isPresent()) {
            return missing;
        }
        String name = ArchiveCheck.shown(file);
        MessageDigest sha = ClickHouseBackup.sha256();
        long read = 0;
        try (InputStream in = source.open(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                read += n;
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of(name + " cannot be read: " + source.failure(e));
        }
        return compare(file, read, sha.digest(), bytes, sha256);
    }

    /**
     * @return the problem when what was read of a file (its size and SHA-256) differs from what the manifest records
     */
    static Optional<String> compare(String file, long read, byte[] digest, long bytes, String sha256) {
        String name = ArchiveCheck.shown(file);
        if (read != bytes) {
            return Optional.of(name + " has " + read + " bytes, the manifest says " + bytes + " (truncated or replaced)");
        }
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equals(sha256)) {
            return Optional.of(name + " has SHA-256 " + actual + ", the manifest says " + ArchiveCheck.shown(sha256) + " (corrupted)");
        }
        return Optional.empty();
    }

    /** Collects a verifier's settings. */
    public static final class Builder {
        private BackupListener listener = BackupListener.NONE;
        private Optional<ArchiveKey> key = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();

        private Builder() {
        }

        /**
         * @param listener progress receiver (default: none)
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks the archive's seal with this key: a missing seal or one that does not match the manifest is a problem
         * (default: no key; the report then says the archive is unauthenticated).
         *
         * @param key the archive key
         * @return this builder
         */
        public Builder key(ArchiveKey key) {
            this.key = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Decrypts an encrypted archive with this key (default: none; an encrypted archive is then one problem that
         * asks for its key, and one written with another key is refused in one line).
         *
         * @param key the encryption key
         * @return this builder
         */
        public Builder encryption(EncryptionKey key) {
            this.encryption = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** @return the verifier */
        public ClickHouseVerifier build() {
            return new ClickHouseVerifier(this);
        }
    }
}
