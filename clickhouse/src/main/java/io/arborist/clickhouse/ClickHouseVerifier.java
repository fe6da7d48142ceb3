package io.arborist.clickhouse;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a ClickHouse backup directory without a server: the manifest is present and readable, and every data file
 * exists with the recorded size and SHA-256 (a single flipped or missing byte is found). A server-side backup
 * ({@link ClickHouseManifest#serverBackup()}) has no data files here: only its manifest is checked, and its rows are
 * verified against the manifest's checksums when restored.
 *
 * <pre>{@code
 * VerifyReport r = ClickHouseVerifier.builder().build().verify(Path.of("/backups/aspects"));
 * r.orThrow();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClickHouseVerifier {
    private final BackupListener listener;

    private ClickHouseVerifier(Builder b) {
        this.listener = b.listener;
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
        ClickHouseManifest m;
        try {
            m = ClickHouseManifest.read(directory);
        } catch (ArboristException e) {
            return new VerifyReport(directory.toString(), 0, 0, List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Instant start = Instant.now();
        int files = 0;
        long bytes = 0;
        int total = (int) m.objects().stream().flatMap(o -> o.chunks().stream()).filter(c -> !c.file().isEmpty()).count();
        for (ManifestObject o : m.objects()) {
            for (ManifestChunk c : o.chunks()) {
                if (c.file().isEmpty()) {
                    if (m.serverBackup().isEmpty()) {
                        problems.add(o.qualifiedName() + ": a chunk has no data file and the manifest names no server-side backup");
                    }
                    continue;
                }
                check(directory, c).ifPresent(p -> problems.add(o.qualifiedName() + ": " + p));
                files++;
                bytes += c.bytes();
                Duration elapsed = Duration.between(start, Instant.now());
                listener.progress(new BackupProgress("verify", o.qualifiedName(), 0, -1, bytes, files, total, elapsed, Optional.empty()));
            }
        }
        return new VerifyReport(directory.toString(), files, bytes, problems);
    }

    /** @return the problem with one file, if any */
    static Optional<String> check(Path dir, ManifestChunk c) {
        Path f = dir.resolve(c.file());
        try {
            if (!Files.isRegularFile(f)) {
                return Optional.of(c.file() + " is missing");
            }
            long size = Files.size(f);
            if (size != c.bytes()) {
                return Optional.of(c.file() + " has " + size + " bytes, the manifest says " + c.bytes() + " (truncated or replaced)");
            }
            MessageDigest sha = ClickHouseBackup.sha256();
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(c.sha256())) {
                return Optional.of(c.file() + " has SHA-256 " + actual + ", the manifest says " + c.sha256() + " (corrupted)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(c.file() + " cannot be read: " + e.getMessage());
        }
    }

    /** Collects a verifier's settings. */
    public static final class Builder {
        private BackupListener listener = BackupListener.NONE;

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

        /** @return the verifier */
        public ClickHouseVerifier build() {
            return new ClickHouseVerifier(this);
        }
    }
}
