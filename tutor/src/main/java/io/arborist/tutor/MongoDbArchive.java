package io.arborist.tutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoredObject;
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
import java.util.Optional;

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
     * Reads the manifest of a backup in a store and checks, without reading it, that the archive is stored at its size.
     *
     * @param reader the opened backup (decrypting when it is encrypted)
     * @param store its store
     * @param encryption the key, for an encrypted backup
     * @param what what the caller does, for the error lines, e.g. {@code "nothing was restored"}
     * @return the archive the manifest describes
     * @throws ArboristException of kind VERIFICATION when the manifest is malformed or foreign, or the archive is missing
     *     or of another size
     */
    static MongoDbArchive readStored(ArchiveReader reader, BackupStore store, Optional<EncryptionKey> encryption, String what) {
        String where = store.destination().toString();
        JsonNode manifest;
        try {
            manifest = BackupFiles.JSON.readTree(reader.manifest());
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + where + ": the manifest is malformed ("
                    + e.getMessage() + "); the backup is damaged.", e);
        }
        MongoDbArchive archive = parse(manifest, store.destination() instanceof Destination.LocalDirectory local
                ? local.directory() : Path.of(""), where);
        String file = fileIn(store.destination());
        long stored = store.stat(FILE).map(StoredObject::size).orElseThrow(() -> new ArboristException(
                ErrorKind.VERIFICATION, file + " is missing: the MongoDB backup is damaged; " + what + "."));
        long expected = reader.encrypted() ? encryption.orElseThrow().ciphertextSize(archive.bytes()) : archive.bytes();
        if (stored != expected) {
            throw new ArboristException(ErrorKind.VERIFICATION, file + " has " + stored + " bytes, the manifest says " + expected
                    + ": the MongoDB backup is damaged; " + what + ".");
        }
        return archive;
    }

    /** @return where the archive file of a backup is, as text */
    static String fileIn(Destination backup) {
        return backup instanceof Destination.LocalDirectory local ? local.directory().resolve(FILE).toString() : backup + FILE;
    }

    /**
     * Checks a backup in a store (an S3 prefix, or a directory written through a store, e.g. an encrypted run backup)
     * completely without MongoDB, reading the archive once whole (and its start again for the prelude): the manifest (decrypted with the key when the backup is
     * encrypted), the archive's size and SHA-256, every gzip member whole, and the mongodump prelude listing the same
     * collections.
     *
     * @param store the backup's store, at the backup's prefix
     * @param encryption the key, for an encrypted backup
     * @return the archive, when everything matches
     * @throws ArboristException of kind VERIFICATION saying what is wrong: missing, partial, encrypted without its key
     *     or with another one, or damaged
     */
    public static MongoDbArchive verify(BackupStore store, Optional<EncryptionKey> encryption) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(encryption, "encryption");
        ArchiveReader reader = ArchiveReader.open(store, "", encryption);
        MongoDbArchive a = readStored(reader, store, encryption, "it cannot be restored");
        return checked(a, () -> reader.open(FILE), fileIn(store.destination()));
    }

    /**
     * Checks a backup completely without MongoDB: the manifest, the archive's size and SHA-256, every gzip member whole,
     * and the mongodump prelude listing the same collections. A directory written through a store (it has the store's
     * {@code archive.json} marker) is checked as {@link #verify(BackupStore, Optional)} checks it, without a key.
     *
     * @param directory the backup directory
     * @return the archive, when everything matches
     * @throws ArboristException of kind VERIFICATION saying what is wrong
     */
    public static MongoDbArchive verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (Files.isRegularFile(directory.resolve(ArchiveWriter.MARKER), LinkOption.NOFOLLOW_LINKS)) {
            try (BackupStore store = BackupStores.builder().build().open(new Destination.LocalDirectory(directory))) {
                return verify(store, Optional.empty());
            }
        }
        MongoDbArchive a = read(directory);
        Path file = a.file();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(FILE + " is missing");
            }
            if (Files.size(file) != a.bytes()) {
                throw new IOException(FILE + " has " + Files.size(file) + " bytes, the manifest says " + a.bytes());
            }
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + directory + " is damaged: " + e.getMessage(), e);
        }
        return checked(a, () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), directory.toString());
    }

    /** Reads the archive once and compares it with its manifest: SHA-256, gzip members, prelude, collections. */
    private static MongoDbArchive checked(MongoDbArchive a, MongoArchiveCheck.IoSupplier source, String where) {
        try {
            MongoArchiveCheck.Result r = MongoArchiveCheck.check(source);
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
            throw new ArboristException(ErrorKind.VERIFICATION, "MongoDB backup " + where + " is damaged: " + e.getMessage(), e);
        }
        return a;
    }
}
