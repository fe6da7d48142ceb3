package io.arborist.tutor.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

/**
 * File handling shared by the MongoDB and Tutor-root backups: owner-only files and directories, SHA-256, forcing to
 * disk, and the manifest written last (aside, forced, then renamed into place).
 */
public final class BackupFiles {
    /** The manifest's name: its presence marks a complete backup. */
    public static final String MANIFEST = "manifest.json";

    /** The version of Arborist recorded in manifests. */
    public static final String TOOL_VERSION = "0.1.0";

    /** Reads and writes manifests: strict, indented. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int BUFFER = 64 * 1024;

    private BackupFiles() {
    }

    /**
     * Creates a directory and its missing parents, each new one readable by its owner only.
     *
     * @param dir the directory
     * @return it
     * @throws IOException if it cannot be created
     */
    public static Path ownerOnlyDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            ownerOnlyDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, OWNER_DIR);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /**
     * Opens a new file, readable and writable by its owner only, for writing.
     *
     * @param file a file that must not exist
     * @return its channel
     * @throws IOException if it exists or cannot be created
     */
    public static FileChannel createOwnerOnly(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_FILE);
    }

    /**
     * Whether a directory is missing or empty.
     *
     * @param dir a directory
     * @return whether nothing is in it
     * @throws IOException if it cannot be listed
     */
    public static boolean isMissingOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param digest a digest
     * @return its value as lowercase hex
     */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Reads a stream to its end, hashing it.
     *
     * @param in the bytes
     * @param digest updated with every byte
     * @return how many bytes were read
     * @throws IOException on a read failure
     */
    public static long digest(InputStream in, MessageDigest digest) throws IOException {
        long n = 0;
        byte[] buf = new byte[BUFFER];
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
            digest.update(buf, 0, r);
            n += r;
        }
        return n;
    }

    /**
     * Copies a stream into a new owner-only file, forced to disk, hashing what is written.
     *
     * @param in the bytes
     * @param target a file that must not exist
     * @param digest updated with every byte
     * @return how many bytes were written
     * @throws IOException on any failure
     */
    public static long copyNew(InputStream in, Path target, MessageDigest digest) throws IOException {
        long n = 0;
        try (FileChannel ch = createOwnerOnly(target)) {
            OutputStream out = Channels.newOutputStream(ch);
            byte[] buf = new byte[BUFFER];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                digest.update(buf, 0, r);
                out.write(buf, 0, r);
                n += r;
            }
            ch.force(true);
        }
        return n;
    }

    /**
     * Hashes a file.
     *
     * @param file a file
     * @return its SHA-256 as hex
     * @throws IOException if it cannot be read
     */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[BUFFER];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                d.update(buf, 0, r);
            }
        }
        return hex(d);
    }

    /**
     * Writes the manifest last: into a side file, forced, renamed into place atomically, and the directory forced.
     *
     * @param dir the backup directory
     * @param manifest the manifest
     * @throws IOException on any failure; no manifest is then in place
     */
    public static void writeManifest(Path dir, JsonNode manifest) throws IOException {
        Path partial = dir.resolve(MANIFEST + ".partial");
        Files.deleteIfExists(partial);
        try (FileChannel ch = createOwnerOnly(partial)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(JSON.writeValueAsBytes(manifest));
            out.write('\n');
            ch.force(true);
        }
        Files.move(partial, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
    }

    /**
     * Reads a manifest.
     *
     * @param dir the backup directory
     * @return the manifest, or {@code null} when there is none
     * @throws IOException if it is there but cannot be read or parsed
     */
    public static JsonNode readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Forces a directory's entries (new and renamed files) to disk.
     *
     * @param dir a directory
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open directories for reading; the files themselves were forced.
        }
    }

    /**
     * Deletes a file tree without following links, best effort.
     *
     * @param root the tree
     */
    public static void deleteQuietly(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: what is left has no manifest and never reads as a complete backup.
        }
    }
}
