package io.arborist.mysql.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories only their owner may read: archives hold every row (a backup of {@code mysql} holds password
 * hashes), journals name the targets. Files are created 0600 and directories 0700, whatever the umask; on a file
 * system without POSIX permissions they are created as the system does.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnly() {
    }

    private static boolean posix(Path p) {
        FileSystem fs = p.getFileSystem();
        return fs.supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> perms) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    /** Creates a directory and its missing parents, each created one 0700; an existing directory is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        Files.createDirectory(abs, attributes(abs, DIRECTORY));
        return dir;
    }

    /** Makes a directory this process writes an archive into 0700. */
    public static void restrictDirectory(Path dir) throws IOException {
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /** Opens a new file (it must not exist) 0600 for writing. */
    public static FileChannel newFile(Path file) throws IOException {
        return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes(file, FILE));
    }

    /** Opens a new file (it must not exist) 0600 for writing, as a stream. */
    public static OutputStream newOutputStream(Path file) throws IOException {
        return Channels.newOutputStream(newFile(file));
    }

    /** Writes a new file (it must not exist) 0600, forced to disk. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = newFile(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** Creates a new 0700 directory under the system's temporary directory. */
    public static Path createTempDirectory(String prefix) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(tmp, prefix, attributes(tmp, DIRECTORY));
    }
}
