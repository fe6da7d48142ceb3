package io.arborist.tutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.MongoArchiveCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete MongoDB backup: {@code mongodb.archive.gz}, the output of {@code mongodump --archive --gzip}, and
 * {@code manifest.json}, written last, with its size, SHA-256, decompressed size and the collections its prelude lists.
 * Checked without MongoDB: every gzip member whole (CRC-32 and length), nothing after the last one, and the mongodump
 * archive's magic number and prelude.
 *
 * <pre>{@code
 * MongoDbArchive archive = MongoDbArchive.verify(Path.of("/backups/mongodb"));
 * archive.namespaces().forEach(System.out::println);          // openedx.modulestore.structures, ...
 * }</pre>
 *
 * @param directory the archive's directory
 * @param created when it was completed
 * @param bytes the archive file's size
 * @param uncompressedBytes the archive's size once decompressed
 * @param sha256 the archive file's SHA-256
 * @param namespaces every collection saved, as {@code database.collection}
 * @param source where it was taken from, e.g. {@code Tutor's MongoDB through tutor local exec mongodb}
 * @param location where it is, as text: the directory, or {@code s3://BUCKET/PREFIX/} (then {@code directory} is the
 *                 empty path)
 * @since 0.1
 */
public record MongoDbArchive(Path directory, Instant created, long bytes, long uncompressedBytes, String sha256,
                             List<String> namespaces, String source, String location) {
    /** The archive file's name in its directory. */
    public static final String FILE = "mongodb.archive.gz";

    static final String KIND = "mongodb";
    static final int FORMAT_VERSION = 1;

    /**
     * Validates and copies.
     *
     * @param directory the archive's directory
     * @param created when it was completed
     * @param bytes the archive file's size
     * @param uncompressedBytes the archive's size once decompressed
     * @param sha256 the archive file's SHA-256
     * @param namespaces every collection saved, as {@code database.collection}
     * @param source where it was taken from, e.g. {@code Tutor's MongoDB through tutor local exec mongodb}
     * @param location where it is, as text: the directory, or {@code s3://BUCKET/PREFIX/} (then {@code directory} is
     *                 the empty path)
     */
    public MongoDbArchive {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(sha256, "sha256");
        namespaces = List.copyOf(namespaces);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(location, "location");
    }

    /**
     * An archive in a directory.
     *
     * @param directory the archive's directory
     * @param created when it was completed
     * @param bytes the archive file's size
     * @param uncompressedBytes the archive's size once decompressed
     * @param sha256 the archive file's SHA-256
     * @param namespaces every collection saved, as {@code database.collection}
     * @param source where it was taken from, e.g. {@code Tutor's MongoDB through tutor local exec mongodb}
     */
    public MongoDbArchive(Path directory, Instant created, long bytes, long uncompressedBytes, String sha256,
                          List<String> namespaces, String source) {
        this(directory, created, bytes, uncompressedBytes, sha256, namespaces, source, directory.toString());
    }

    /** @return the archive file (relative, {@value #FILE}, for an archive in object storage) */
    public Path file() {
        return directory.resolve(FILE);
    }

    /**
     * Reads and checks a backup's manifest, without reading the archive.
     *
     * @param directory the backup directory
     * @return the archive
     * @throws ArboristException of kind VERIFICATION when it is incomplete, foreign, too new or malformed
     */
    public static MongoDbArchive read(Path directory) {
        Objects.requireNonNull(directory, "directory");
        JsonNode m;
        try {
            m = BackupFiles.readManifest(directory);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + directory + ": its manifest cannot be read ("
                    + e.getMessage() + "); the backup is damaged.", e);
        }
        if (m == null) {
            throw new ArboristException(ErrorKind.VERIFICATION, directory + " has no " + BackupFiles.MANIFEST
                    + ": it is not a complete MongoDB backup (the manifest is written last).");
        }
        return parse(m, directory, directory.toString());
    }

    /**
     * @param m a manifest
     * @param directory the archive's directory, or the empty path for one in object storage
     * @param where where it is, as text
     * @return the archive it describes
     * @throws ArboristException of kind VERIFICATION when it is foreign, too new or malformed
     */
    static MongoDbArchive parse(JsonNode m, Path directory, String where) {
        if (!KIND.equals(m.path("kind").asText())) {
            throw new ArboristException(ErrorKind.VERIFICATION, where + " holds a '" + m.path("kind").asText()
                    + "' backup, not a MongoDB backup.");
        }
        if (m.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + where + " has format version "
                    + m.path("formatVersion").asText() + "; this Arborist reads version " + FORMAT_VERSION + ".");
        }
        try {
            List<String> namespaces = new ArrayList<>();
            m.path("namespaces").forEach(n -> namespaces.add(n.asText()));
            if (!m.path("file").asText().equals(FILE) || !m.path("sha256").asText().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("file or sha256 missing");
            }
            return new MongoDbArchive(directory, Instant.parse(m.path("created").asText()), m.path("bytes").asLong(),
                    m.path("uncompressedBytes").asLong(), m.path("sha256").asText(), namespaces, m.path("source").asText(), where);
        } catch (RuntimeException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + where + ": the manifest is malformed ("
                    + e.getMessage() + "); the backup is damaged.", e);
        }
    }

    /**
     * Checks a backup completely without MongoDB: the manifest, the archive's size and SHA-256, every gzip member whole,
     * and the mongodump prelude listing the same collections.
     *
     * @param directory the backup directory
     * @return the archive, when everything matches
     * @throws ArboristException of kind VERIFICATION saying what is wrong
     */
    public static MongoDbArchive verify(Path directory) {
        MongoDbArchive a = read(directory);
        Path file = a.file();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(FILE + " is missing");
            }
            if (Files.size(file) != a.bytes()) {
                throw new IOException(FILE + " has " + Files.size(file) + " bytes, the manifest says " + a.bytes());
            }
            MongoArchiveCheck.Result r = MongoArchiveCheck.check(() -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
            if (!r.sha256().equals(a.sha256())) {
                throw new IOException(FILE + ": SHA-256 differs from the manifest");
            }
            if (r.problem().isPresent()) {
                throw new IOException(FILE + ": " + r.problem().get());
            }
            if (!r.namespaces().equals(a.namespaces()) || r.uncompressedBytes() != a.uncompressedBytes()) {
                throw new IOException(FILE + ": the collections or the decompressed size differ from the manifest");
            }
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + directory + " is damaged: " + e.getMessage(), e);
        }
        return a;
    }
}
