package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ClickHouseVerifier;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.VerifyReport;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
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
import java.util.Optional;
import java.util.Set;

/**
 * The engine of {@link ClickHouseVerifier}, also run by a backup on what it wrote: the manifest, its seal, the files'
 * sizes and SHA-256, and the statements a restore would run, every problem one line.
 */
public final class ArchiveVerifier {
    private final BackupListener listener;
    private final Optional<ArchiveKey> key;

    /**
     * @param listener progress receiver
     * @param key the archive key the seal must match, if given
     */
    public ArchiveVerifier(BackupListener listener, Optional<ArchiveKey> key) {
        this.listener = listener;
        this.key = key;
    }

    /**
     * Checks an archive; see {@link ClickHouseVerifier#verify(Path)}.
     *
     * @param source the archive
     * @param contents whether to read every file and check its SHA-256, or only that it is there with its recorded size
     *     (after a backup into S3, whose store checked each part's Content-MD5 on arrival)
     * @return what was found
     */
    public VerifyReport verify(ArchiveSource source, boolean contents) {
        String directory = source.where();
        List<String> notes = new ArrayList<>();
        Journals.partial(Journals.defaultJournal(source)).ifPresent(p -> notes.add(p.describe()));
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
        MessageDigest sha = Dumper.sha256();
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
}
