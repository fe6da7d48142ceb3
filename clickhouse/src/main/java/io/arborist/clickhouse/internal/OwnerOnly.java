package io.arborist.clickhouse.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories holding data or state, created readable by their owner only: files 0600, directories 0700
 * (on file systems without POSIX permissions, as the system creates them).
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> perms) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    /**
     * Creates a directory and its missing parents, each 0700.
     *
     * @param dir the directory
     * @return the directory
     */
    public static Path directories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            directories(parent);
        }
        try {
            Files.createDirectory(abs, attributes(abs, DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return dir;
    }

    /** Makes an existing directory (this process's own) 0700. */
    public static void restrict(Path dir) throws IOException {
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /**
     * @param file a file that must not exist yet
     * @return a stream writing it, created 0600
     */
    public static OutputStream newFile(Path file) throws IOException {
        Files.createFile(file, attributes(file, FILE));
        return Files.newOutputStream(file, StandardOpenOption.WRITE);
    }

    /**
     * @param file a file, created 0600 when missing
     * @param options how to open it
     * @return the channel
     */
    public static FileChannel channel(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), attributes(file, FILE));
    }

    /**
     * Writes a file through a temporary file (0600), fsync and an atomic rename.
     *
     * @param file the file
     * @param bytes its content
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(tmp);
        try (OutputStream out = newFile(tmp)) {
            out.write(bytes);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
