package io.arborist.tutor;

import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.tutor.internal.TutorRootFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete backup of a Tutor root's {@code config.yml} and {@code env/}: the files under {@code files/} and
 * {@code manifest.json}, written last, with each file's size, SHA-256 and mode. Names, sizes and digests only: no
 * value from the files is ever printed or kept outside the copies.
 *
 * <pre>{@code
 * TutorRootArchive archive = TutorRootArchive.verify(Path.of("/backups/tutor-root"));   // every SHA-256
 * System.out.println(archive.files() + " files from " + archive.source());
 * }</pre>
 *
 * @param directory the archive's directory
 * @param source the Tutor root it was taken from
 * @param created when it was completed
 * @param files how many files it holds ({@code config.yml} and those under {@code env/})
 * @param bytes their total size
 * @param skipped entries of {@code env/} not archived, as {@code PATH (symbolic link)} or {@code PATH (special file)}
 * @param location where it is, as text: the directory, or {@code s3://BUCKET/PREFIX/} (then {@code directory} is the
 *                 empty path)
 * @since 0.1
 */
public record TutorRootArchive(Path directory, Path source, Instant created, int files, long bytes, List<String> skipped,
                               String location) {
    /**
     * Validates and copies.
     *
     * @param directory the archive's directory
     * @param source the Tutor root it was taken from
     * @param created when it was completed
     * @param files how many files it holds ({@code config.yml} and those under {@code env/})
     * @param bytes their total size
     * @param skipped entries of {@code env/} not archived, as {@code PATH (symbolic link)} or {@code PATH (special file)}
     * @param location where it is, as text: the directory, or {@code s3://BUCKET/PREFIX/} (then {@code directory} is
     *                 the empty path)
     */
    public TutorRootArchive {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(created, "created");
        skipped = List.copyOf(skipped);
        Objects.requireNonNull(location, "location");
    }

    /**
     * An archive in a directory.
     *
     * @param directory the archive's directory
     * @param source the Tutor root it was taken from
     * @param created when it was completed
     * @param files how many files it holds ({@code config.yml} and those under {@code env/})
     * @param bytes their total size
     * @param skipped entries of {@code env/} not archived, as {@code PATH (symbolic link)} or {@code PATH (special file)}
     */
    public TutorRootArchive(Path directory, Path source, Instant created, int files, long bytes, List<String> skipped) {
        this(directory, source, created, files, bytes, skipped, directory.toString());
    }

    /**
     * Reads and checks an archive's manifest without reading the files.
     *
     * @param directory the archive directory
     * @return the archive
     * @throws io.arborist.core.ArboristException of kind VERIFICATION when it is incomplete, foreign or damaged
     */
    public static TutorRootArchive read(Path directory) {
        return of(directory, TutorRootFiles.read(Objects.requireNonNull(directory, "directory")));
    }

    /**
     * Checks an archive completely: the manifest, then every file's presence, size and SHA-256, and that nothing
     * unlisted is there.
     *
     * @param directory the archive directory
     * @return the archive, when everything matches
     * @throws io.arborist.core.ArboristException of kind VERIFICATION naming every problem
     */
    public static TutorRootArchive verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (Files.isRegularFile(directory.resolve(ArchiveWriter.MARKER), LinkOption.NOFOLLOW_LINKS)) {
            // written through a store (an encrypted run backup, or a copy of one from S3)
            try (BackupStore store = BackupStores.builder().build().open(new Destination.LocalDirectory(directory))) {
                return verify(store, Optional.empty());
            }
        }
        return of(directory, TutorRootFiles.verify(directory));
    }

    /**
     * Checks an archive in a store (an S3 prefix, or a directory written through a store) completely, reading each file
     * once: the manifest (decrypted with the key when the archive is encrypted), every file's presence, size and
     * SHA-256, and that nothing unlisted is there.
     *
     * @param store the archive's store, at the archive's prefix
     * @param encryption the key, for an encrypted archive
     * @return the archive, when everything matches; its {@link #location()} is the store's destination
     * @throws io.arborist.core.ArboristException of kind VERIFICATION naming every problem: missing, partial, encrypted
     *     without its key or with another one, or damaged
     */
    public static TutorRootArchive verify(BackupStore store, Optional<EncryptionKey> encryption) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(encryption, "encryption");
        ArchiveReader reader = ArchiveReader.open(store, "", encryption);
        TutorRootFiles.Contents contents = TutorRootFiles.readManifest(reader);
        TutorRootFiles.checkStored(reader, contents, encryption);
        TutorRootFiles.checkFiles(reader, contents);
        return of(store.destination() instanceof Destination.LocalDirectory local ? local.directory() : Path.of(""),
                store.destination().toString(), contents);
    }

    static TutorRootArchive of(Path directory, TutorRootFiles.Contents c) {
        return of(directory, directory.toString(), c);
    }

    static TutorRootArchive of(Path directory, String location, TutorRootFiles.Contents c) {
        return new TutorRootArchive(directory, c.source(), c.created(), c.files(), c.bytes(),
                c.skipped().stream().map(e -> e.path() + " (" + e.type() + ")").toList(), location);
    }
}
