package io.arborist.mysql.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads, writes and checks archives: the manifest (written last, atomically) and every file's SHA-256. Archives are
 * read through {@link ArchiveFiles}, a directory or a tar file alike; they are written as directories.
 */
public final class ManifestIo {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ManifestIo() {
    }

    /** Writes the manifest with its checksum: to a temporary file, fsync'd, then renamed into place. */
    public static Manifest write(Path dir, Manifest manifest) {
        Manifest sealed = manifest.withChecksum(sha256(serialize(manifest.withChecksum(""))));
        Path tmp = dir.resolve(MANIFEST + ".partial");
        try {
            Files.write(tmp, serialize(sealed));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot write the manifest in " + dir + ": " + e.getMessage(), e);
        }
        return sealed;
    }

    /**
     * Reads and checks the manifest of an archive directory or tar file; see {@link #read(ArchiveFiles)}.
     *
     * @throws ArboristException VERIFICATION when the archive is incomplete, foreign, too new or damaged
     */
    public static Manifest read(Path archive) {
        try (ArchiveFiles files = ArchiveFiles.open(archive)) {
            return read(files);
        }
    }

    /**
     * Reads and checks the manifest (presence, kind, format version, own checksum), not the data files.
     *
     * @throws ArboristException VERIFICATION when the archive is incomplete, foreign, too new or damaged
     */
    public static Manifest read(ArchiveFiles files) {
        Path dir = files.location();
        String file = files.describe(MANIFEST);
        byte[] bytes;
        try (InputStream in = files.open(MANIFEST)) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "incomplete archive: " + dir + " has no " + MANIFEST
                    + " (the backup did not finish); take a new backup", e);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": not valid JSON", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": not a JSON object");
        }
        String kind = tree.path("kind").asText("");
        if (!Manifest.KIND.equals(kind)) {
            throw new ArboristException(ErrorKind.VERIFICATION, "not a MySQL archive: " + dir + " has kind '" + kind + "'");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (version > Manifest.FORMAT_VERSION) {
            throw new ArboristException(ErrorKind.VERIFICATION, "archive " + dir + " has format version " + version
                    + ", newer than this Arborist reads (" + Manifest.FORMAT_VERSION + "); use a newer Arborist");
        }
        if (version < 1) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": bad format version");
        }
        Manifest manifest;
        try {
            manifest = MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": " + e.getMessage(), e);
        }
        String expected = sha256(serialize(manifest.withChecksum("")));
        if (!expected.equals(manifest.checksum())) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": its checksum does not match its content");
        }
        return manifest;
    }

    /** Checks every data file's presence, size and SHA-256, streamed; returns the problems found (empty if none). */
    public static List<String> checkFiles(ArchiveFiles files, Manifest manifest) {
        List<String> problems = new ArrayList<>();
        for (Manifest.Table t : manifest.tables()) {
            for (Manifest.Chunk c : t.chunks()) {
                OptionalLong size = files.size(c.file());
                if (size.isEmpty()) {
                    problems.add("missing data file " + c.file() + " (" + t.database() + "." + t.name() + ")");
                    continue;
                }
                if (size.getAsLong() != c.fileBytes()) {
                    problems.add("data file " + c.file() + " has " + size.getAsLong() + " bytes, expected " + c.fileBytes()
                            + " (truncated or altered)");
                    continue;
                }
                try (InputStream in = files.open(c.file())) {
                    if (!sha256(in).equals(c.sha256())) {
                        problems.add("data file " + c.file() + " is damaged: SHA-256 differs from the manifest");
                    }
                } catch (IOException e) {
                    problems.add("cannot read " + c.file() + ": " + e.getMessage());
                }
            }
        }
        return problems;
    }

    /** @return the kind an archive directory's or tar file's manifest declares, or empty text when absent or unreadable */
    public static String kindOf(Path archive) {
        try (ArchiveFiles files = ArchiveFiles.open(archive); InputStream in = files.open(MANIFEST)) {
            return MAPPER.readTree(in).path("kind").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static byte[] serialize(Manifest m) {
        try {
            return MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the manifest", e);
        }
    }

    /** @return the lowercase hex SHA-256 of bytes */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** @return the lowercase hex SHA-256 of what a stream holds (read to its end, not closed) */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = digest();
        new DigestInputStream(in, md).transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(md.digest());
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flushes a directory's entries to disk (best effort where the platform does not allow it). */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on every platform; the files themselves were forced
        }
    }
}
