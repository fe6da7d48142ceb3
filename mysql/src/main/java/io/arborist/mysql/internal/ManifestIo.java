package io.arborist.mysql.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads, writes and checks archives: the manifest (written last, atomically), its seal (with a key: an HMAC-SHA256
 * over the manifest's exact bytes, in {@value #SEAL}, written just before it) and every file's SHA-256. Archives are
 * read through {@link ArchiveFiles}, a directory or a tar file alike; they are written as directories, owner-only.
 */
public final class ManifestIo {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The seal's file name: {@link ArchiveSeal#FILE}. */
    public static final String SEAL = ArchiveSeal.FILE;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ManifestIo() {
    }

    /** Writes the manifest with its checksum and no seal; see {@link #write(Path, Manifest, Optional)}. */
    public static Manifest write(Path dir, Manifest manifest) {
        return write(dir, manifest, Optional.empty());
    }

    /**
     * Writes the manifest with its checksum, and with a key first its seal: each to a temporary file, fsync'd, then
     * renamed into place (an existing seal is replaced, or removed without a key).
     */
    public static Manifest write(Path dir, Manifest manifest, Optional<ArchiveKey> key) {
        Manifest withSum = withChecksum(manifest);
        byte[] bytes = serialize(withSum);
        try {
            if (key.isPresent()) {
                replace(dir, SEAL, ArchiveSeal.of(key.get(), bytes).bytes());
            } else {
                Files.deleteIfExists(dir.resolve(SEAL));
            }
            replace(dir, MANIFEST, bytes);
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot write the manifest in " + dir + ": " + e.getMessage(), e);
        }
        return withSum;
    }

    /** @return the manifest with the checksum of its own content */
    static Manifest withChecksum(Manifest manifest) {
        return manifest.withChecksum(sha256(serialize(manifest.withChecksum(""))));
    }

    private static void replace(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve(name + ".partial");
        Files.deleteIfExists(tmp);
        OwnerOnly.write(tmp, bytes);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A manifest as read, with the problems found in it.
     *
     * @param manifest the manifest
     * @param seal whether it is sealed, and whether the seal was checked
     * @param problems one line each: a manifest whose checksum, seal, statements or files are wrong
     */
    public record Verified(Manifest manifest, ArchiveSeal.Status seal, List<String> problems) {
    }

    /**
     * Checks an archive completely: the manifest's checksum, its seal (with a key), what its statements ask
     * ({@link ArchiveCheck}), and every data file's presence, size and SHA-256.
     *
     * @throws ArboristException VERIFICATION when there is no manifest to check (missing, not JSON, foreign, too new)
     */
    public static Verified verify(ArchiveFiles files, Optional<ArchiveKey> key) {
        return verify(files, key, true);
    }

    /**
     * As {@link #verify(ArchiveFiles, Optional)}; without {@code digests}, every data file's presence and size only: a
     * restore from a store checks each file's SHA-256 as it loads it ({@link DigestedFile}), so that each object is
     * downloaded once.
     */
    public static Verified verify(ArchiveFiles files, Optional<ArchiveKey> key, boolean digests) {
        List<String> problems = new ArrayList<>();
        byte[] bytes = bytes(files);
        Manifest m = parse(files, bytes, problems);
        ArchiveSeal.Status seal = seal(files, bytes, key, problems);
        problems.addAll(ArchiveCheck.problems(m));
        problems.addAll(checkFiles(files, m, digests));
        return new Verified(m, seal, List.copyOf(problems));
    }

    private static ArchiveSeal.Status seal(ArchiveFiles files, byte[] manifest, Optional<ArchiveKey> key, List<String> problems) {
        Optional<String> text;
        try (InputStream in = files.open(SEAL)) {
            text = Optional.of(new String(in.readNBytes(ArchiveSeal.MAX_BYTES), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            text = Optional.empty();
        } catch (IOException e) {
            problems.add("cannot read the seal " + files.describe(SEAL) + ": " + e.getMessage());
            return ArchiveSeal.Status.ABSENT;
        }
        ArchiveSeal.Check check = ArchiveSeal.check(text, manifest, key);
        problems.addAll(check.problems());
        return check.status();
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
        List<String> problems = new ArrayList<>();
        Manifest m = parse(files, bytes(files), problems);
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, problems.get(0));
        }
        return m;
    }

    private static byte[] bytes(ArchiveFiles files) {
        try (InputStream in = files.open(MANIFEST)) {
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "incomplete archive: " + files.location() + " has no " + MANIFEST
                    + " (the backup did not finish); take a new backup", e);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read " + files.describe(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    /** Parses a manifest; a checksum that does not match is added to the problems, anything worse is thrown. */
    private static Manifest parse(ArchiveFiles files, byte[] bytes, List<String> problems) {
        String dir = files.location();
        String file = files.describe(MANIFEST);
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
        Manifest.Server server = manifest.server();
        if (manifest.databases() == null || manifest.tables() == null || manifest.objects() == null || server == null
                || manifest.toolVersion() == null || manifest.consistency() == null || manifest.created() == null
                || server.version() == null || server.flavour() == null || server.binlogFile() == null || server.gtid() == null) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": it lacks its tool, server,"
                    + " databases, tables or objects");
        }
        try {
            java.time.Instant.parse(manifest.created());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged manifest " + file + ": its creation time is malformed", e);
        }
        String expected = sha256(serialize(manifest.withChecksum("")));
        if (!expected.equals(manifest.checksum())) {
            problems.add("damaged manifest " + file + ": its checksum does not match its content");
        }
        return manifest;
    }

    /** Checks every data file's presence, size and SHA-256, streamed; returns the problems found (empty if none). */
    public static List<String> checkFiles(ArchiveFiles files, Manifest manifest) {
        return checkFiles(files, manifest, true);
    }

    /** As {@link #checkFiles(ArchiveFiles, Manifest)}; without {@code digests}, presence and size only. */
    static List<String> checkFiles(ArchiveFiles files, Manifest manifest, boolean digests) {
        List<String> problems = new ArrayList<>();
        for (Manifest.Table t : manifest.tables()) {
            for (Manifest.Chunk c : t.chunks() == null ? List.<Manifest.Chunk>of() : t.chunks()) {
                if (c.file() == null || !ArchiveCheck.DATA_FILE.matcher(c.file()).matches()) {
                    continue; // named by ArchiveCheck, never opened
                }
                OptionalLong size = files.size(c.file());
                if (size.isEmpty()) {
                    problems.add("missing data file " + c.file() + " (" + t.database() + "." + t.name() + ")");
                    continue;
                }
                if (size.getAsLong() != files.storedSize(c.fileBytes())) {
                    problems.add("data file " + c.file() + " has " + size.getAsLong() + " bytes, expected " + files.storedSize(c.fileBytes())
                            + " (truncated or altered)");
                    continue;
                }
                if (!digests) {
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

    /** @return the kind a manifest's bytes declare, or empty text when they are not a JSON object */
    public static String kindOf(byte[] manifest) {
        try {
            return MAPPER.readTree(manifest).path("kind").asText("");
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
