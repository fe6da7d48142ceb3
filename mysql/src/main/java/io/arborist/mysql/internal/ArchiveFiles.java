package io.arborist.mysql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The files of an archive by name ({@code manifest.json}, {@code data/t00000.c00000.tsv.zst}), wherever they are: in
 * a directory or in one tar file. Every {@link #open(String)} is an independent stream, so workers may read different
 * files at the same time. Close when done.
 */
public interface ArchiveFiles extends AutoCloseable {
    /** The suffix of a single-file archive. */
    String TAR = ".tar";

    /**
     * Opens an archive: a directory (present or not, so that reading a missing one says that it has no manifest), or
     * a tar file, that is a regular file or a path whose name ends with {@code .tar} and that is not a directory.
     *
     * @throws io.arborist.core.ArboristException VERIFICATION when a tar file is missing, truncated or not a tar
     */
    static ArchiveFiles open(Path location) {
        return open(location, java.util.Optional.empty());
    }

    /**
     * As {@link #open(Path)}; a directory written through a store (it holds {@code archive.json}, as an encrypted
     * backup does) is read through the store, decrypted with the key.
     *
     * @throws io.arborist.core.ArboristException VERIFICATION as {@link #open(Path)}, and for an encrypted archive
     *     without its key or with another one
     */
    static ArchiveFiles open(Path location, java.util.Optional<io.arborist.core.backup.store.EncryptionKey> key) {
        if (Files.isDirectory(location) && Files.isRegularFile(location.resolve(io.arborist.core.backup.store.ArchiveWriter.MARKER))) {
            io.arborist.core.backup.store.BackupStore store = io.arborist.core.backup.store.BackupStores.builder().build()
                    .open(new io.arborist.core.backup.store.Destination.LocalDirectory(location.toAbsolutePath()));
            return StoreFiles.open(store, key, location.resolve(JOURNAL));
        }
        if (!Files.isDirectory(location) && (Files.isRegularFile(location) || isTarName(location))) {
            return TarFiles.open(location);
        }
        return new DirectoryFiles(location);
    }

    /** @return whether a path's file name ends with {@code .tar}, the name of a single-file archive */
    static boolean isTarName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(TAR) && name.toString().length() > TAR.length();
    }

    /**
     * Opens an archive in a store.
     *
     * @param journal where a restore of it keeps its journal
     * @throws io.arborist.core.ArboristException VERIFICATION for a missing or partial archive, an encrypted one
     *     without its key or with another one
     */
    static ArchiveFiles open(io.arborist.core.backup.store.BackupStore store,
                             java.util.Optional<io.arborist.core.backup.store.EncryptionKey> key, Path journal) {
        return StoreFiles.open(store, key, journal);
    }

    /** @return the archive's directory, tar file or store location, for messages */
    String location();

    /**
     * @param plainBytes a data file's size as the manifest records it
     * @return its size as stored (larger when encrypted)
     */
    default long storedSize(long plainBytes) {
        return plainBytes;
    }

    /**
     * @return whether a restore checks each data file's SHA-256 while it loads it instead of reading the whole archive
     *     first: true for a store (an S3 object is downloaded once), false for a directory or tar file on this machine
     *     (checked completely before anything changes)
     */
    default boolean digestsWhileLoading() {
        return false;
    }

    /** @return a file's size in bytes, or empty when the archive has no such regular file */
    OptionalLong size(String name);

    /**
     * Opens a file for reading, streamed (never the whole file in memory).
     *
     * @throws java.nio.file.NoSuchFileException when the archive has no such file
     */
    InputStream open(String name) throws IOException;

    /** @return a file's name for messages, saying where it is */
    String describe(String name);

    /** The restore journal's file name inside an archive directory (the suffix of its name next to a tar file). */
    String JOURNAL = "restore-journal.log";

    /**
     * @return where the restore journal of this archive lives: inside a directory archive, next to a tar file (the
     *         tar is never written to)
     */
    Path journal();

    @Override
    void close();
}
