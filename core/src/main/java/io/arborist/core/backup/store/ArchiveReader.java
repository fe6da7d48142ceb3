package io.arborist.core.backup.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.internal.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one complete archive from a {@link BackupStore}: refuses a partial one (no manifest), tells an encrypted archive
 * without a key ("needs its key") or with another key apart, decrypts on the fly, and checks each object's SHA-256
 * against the digest the manifest holds while it streams.
 *
 * <pre>{@code
 * ArchiveReader archive = ArchiveReader.open(store, "02-lilac-backup/mysql", key);
 * byte[] manifest = archive.manifest();
 * try (InputStream in = archive.open("edxapp/auth_user.000.zst", sha256FromManifest)) { ... }   // IOException on a flipped byte
 * }</pre>
 *
 * <p>Thread-safe: objects may be read from several threads.
 *
 * @since 0.3
 */
public final class ArchiveReader {
    /** Largest manifest read into memory. */
    static final int MAX_MANIFEST = 64 * 1024 * 1024;

    private final BackupStore store;
    private final BackupStore data;
    private final boolean encrypted;

    private ArchiveReader(BackupStore store, BackupStore data, boolean encrypted) {
        this.store = store;
        this.data = data;
        this.encrypted = encrypted;
    }

    /**
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""}
     * @param key the encryption key, when one was given
     * @return the reader
     * @throws ArboristException of kind VERIFICATION naming the archive when it holds no backup, a partial one, is
     *     encrypted and no key was given, or was encrypted with another key
     */
    public static ArchiveReader open(BackupStore store, String archive, Optional<EncryptionKey> key) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
        BackupStore at = archive.isEmpty() ? store : store.within(archive);
        String where = at.destination().toString();
        if (!at.exists(ArchiveWriter.MANIFEST)) {
            int objects = at.list("").size();
            throw new ArboristException(ErrorKind.VERIFICATION, objects == 0 ? where + " holds no backup"
                    : where + " is a partial backup (" + objects + " objects, no manifest): it was interrupted or is still being written");
        }
        Optional<JsonNode> encryption = marker(at).map(m -> m.path("encryption")).filter(e -> !e.isMissingNode() && !e.isNull());
        if (encryption.isEmpty()) {
            return new ArchiveReader(at, at, false);
        }
        String scheme = encryption.get().path("scheme").asText();
        if (!scheme.equals(EncryptionKey.SCHEME)) {
            throw new ArboristException(ErrorKind.VERIFICATION, where + " is encrypted with '" + scheme
                    + "', which this Arborist does not know; use the version that wrote it");
        }
        if (key.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, where + " is encrypted and needs its key: give the key file or"
                    + " environment variable it was written with (key fingerprint " + encryption.get().path("keyFingerprint").asText() + ")");
        }
        String recorded = encryption.get().path("keyFingerprint").asText();
        if (!recorded.equals(key.get().fingerprint())) {
            throw new ArboristException(ErrorKind.VERIFICATION, where + " was encrypted with another key (fingerprint " + recorded
                    + "; the key given has " + key.get().fingerprint() + ")");
        }
        return new ArchiveReader(at, new EncryptedStore(at, key.get(), ""), true);
    }

    /**
     * Reads an archive's plaintext marker, which is written first: a partial archive has one too.
     *
     * @param store where the archive is
     * @return the fingerprint of the key its objects are encrypted with; empty when it is not encrypted or has no marker
     * @throws ArboristException of kind VERIFICATION when the marker cannot be read
     */
    public static Optional<String> encryptionFingerprint(BackupStore store) {
        return marker(Objects.requireNonNull(store, "store")).map(m -> m.path("encryption").path("keyFingerprint"))
                .filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    private static Optional<JsonNode> marker(BackupStore at) {
        if (!at.exists(ArchiveWriter.MARKER)) {
            return Optional.empty();
        }
        try (InputStream in = at.open(ArchiveWriter.MARKER)) {
            byte[] bytes = in.readNBytes(64 * 1024);
            return Optional.of(Json.read(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), ObjectNames.where(at, ArchiveWriter.MARKER)));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read " + ObjectNames.where(at, ArchiveWriter.MARKER) + ": " + e.getMessage(), e);
        }
    }

    /** @return where the archive is */
    public Destination location() {
        return store.destination();
    }

    /** @return whether its objects are encrypted */
    public boolean encrypted() {
        return encrypted;
    }

    /**
     * @return the manifest's bytes, decrypted
     * @throws ArboristException of kind VERIFICATION when it cannot be read, fails decryption or exceeds 64 MiB
     */
    public byte[] manifest() {
        try (InputStream in = data.open(ArchiveWriter.MANIFEST)) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST + 1);
            if (bytes.length > MAX_MANIFEST) {
                throw new ArboristException(ErrorKind.VERIFICATION, ObjectNames.where(store, ArchiveWriter.MANIFEST) + " is larger than 64 MiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read " + ObjectNames.where(store, ArchiveWriter.MANIFEST)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the archive's objects as stored (marker and manifest included; sizes are ciphertext sizes when encrypted)
     */
    public List<StoredObject> objects() {
        return store.list("");
    }

    /**
     * @param name an object's name inside the archive
     * @return its plaintext, streamed; a read throws an {@link IOException} when an encrypted object was changed
     */
    public InputStream open(String name) {
        return data.open(name);
    }

    /**
     * Reads an object and checks it against its digest as it streams: the read that reaches the end throws an
     * {@link IOException} naming the object when the digest differs (a flipped byte, a truncated object).
     *
     * @param name an object's name inside the archive
     * @param sha256 its SHA-256 from the manifest, as hex
     * @return its plaintext, streamed
     */
    public InputStream open(String name, String sha256) {
        byte[] expected = HexFormat.of().parseHex(Objects.requireNonNull(sha256, "sha256").strip().toLowerCase(java.util.Locale.ROOT));
        return new Verifying(data.open(name), expected, ObjectNames.where(store, name));
    }

    /**
     * Reads part of an object (restores and verification split large objects into ranges read in parallel; only the
     * segments needed are decrypted). A range is not checked against the whole object's digest: read every range
     * through one {@link MessageDigest}, or {@link #open(String, String)}, to check it.
     *
     * @param name an object's name inside the archive
     * @param offset first plaintext byte
     * @param length bytes to read
     * @return the bytes
     */
    public InputStream open(String name, long offset, long length) {
        return data.open(name, offset, length);
    }

    @Override
    public String toString() {
        return "ArchiveReader[" + location() + (encrypted ? ", encrypted" : "") + "]";
    }

    /** Computes SHA-256 while streaming and compares at the end. */
    private static final class Verifying extends FilterInputStream {
        private final MessageDigest digest;
        private final byte[] expected;
        private final String where;
        private boolean checked;

        Verifying(InputStream in, byte[] expected, String where) {
            super(in);
            this.expected = expected;
            this.where = where;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            } else if (n < 0 && !checked) {
                checked = true;
                if (!MessageDigest.isEqual(digest.digest(), expected)) {
                    throw new IOException(where + " does not match its SHA-256 in the manifest: it was changed or damaged");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] b = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(b, 0, (int) Math.min(b.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
