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

    /** @return the archive's directory or tar file */
    Path location();

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
