package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.ManifestJson;
import io.arborist.clickhouse.internal.ManifestSeal;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    private ClickHouseVerifier(Builder b) {
        this.listener = b.listener;
        this.key = b.key;
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
        List<String> notes = new ArrayList<>();
        ClickHouseRestore.partial(ClickHouseRestore.defaultJournal(directory)).ifPresent(p -> notes.add(p.describe()));
        byte[] bytes;
        try {
            bytes = ManifestJson.bytes(directory);
        } catch (ArboristException e) {
            return new VerifyReport(directory.toString(), 0, 0, List.of(e.getMessage()), false, notes);
        }
        List<String> problems = new ArrayList<>();
        Optional<ClickHouseManifest> parsed;
        try {
            parsed = Optional.of(ManifestJson.parse(directory, bytes));
        } catch (ArboristException e) {
            parsed = Optional.empty();
            problems.add(e.getMessage());
        }
        ManifestSeal.Status seal = ManifestSeal.check(directory, bytes, parsed.map(ClickHouseManifest::format).orElse(0), key);
        problems.addAll(seal.problems());
        notes.add(0, seal.note());
        if (parsed.isEmpty()) {
            return new VerifyReport(directory.toString(), 0, 0, problems, false, notes);
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
                check(directory, c.file(), c.bytes(), c.sha256()).ifPresent(p -> problems.add(ArchiveCheck.shown(o.qualifiedName()) + ": " + p));
                files++;
                bytesRead += c.bytes();
                Duration elapsed = Duration.between(start, Instant.now());
                listener.progress(new BackupProgress("verify", o.qualifiedName(), 0, -1, bytesRead, files, total, elapsed, Optional.empty()));
            }
        }
        for (ManifestFile f : m.files()) {
            check(directory, f.path(), f.bytes(), f.sha256()).ifPresent(problems::add);
            files++;
            bytesRead += f.bytes();
        }
        return new VerifyReport(directory.toString(), files, bytesRead, problems, seal.authenticated(), notes);
    }

    /** @return the problem with one data file, if any */
    static Optional<String> check(Path dir, ManifestChunk c) {
        return check(dir, c.file(), c.bytes(), c.sha256());
    }

    /** @return the problem with one file, if any: missing, not a regular file, another size or another SHA-256 */
    private static Optional<String> check(Path dir, String file, long bytes, String sha256) {
        Path f = dir.resolve(file);
        String name = ArchiveCheck.shown(file);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(name + (Files.exists(f, LinkOption.NOFOLLOW_LINKS) ? " is not a regular file (an archive holds regular files only)"
                        : " is missing"));
            }
            long size = Files.size(f);
            if (size != bytes) {
                return Optional.of(name + " has " + size + " bytes, the manifest says " + bytes + " (truncated or replaced)");
            }
            MessageDigest sha = ClickHouseBackup.sha256();
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(sha256)) {
                return Optional.of(name + " has SHA-256 " + actual + ", the manifest says " + ArchiveCheck.shown(sha256) + " (corrupted)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(name + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** Collects a verifier's settings. */
    public static final class Builder {
        private BackupListener listener = BackupListener.NONE;
        private Optional<ArchiveKey> key = Optional.empty();

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

        /** @return the verifier */
        public ClickHouseVerifier build() {
            return new ClickHouseVerifier(this);
        }
    }
}
