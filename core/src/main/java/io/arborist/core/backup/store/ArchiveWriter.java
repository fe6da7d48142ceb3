package io.arborist.core.backup.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes one archive into a {@link BackupStore} under the commit protocol every reader relies on:
 * <ol>
 *   <li>{@link Builder#start()} refuses a prefix that holds a complete archive (one with a manifest), and a prefix that holds
 *       a partial one (objects, no manifest) unless {@link Builder#replacePartial()} was asked: then it deletes the
 *       partial archive first. Refusing is the default because only the run that wrote a partial archive knows it
 *       is not still being written; the executor's resume, which does know, replaces it. It then writes the small
 *       plaintext marker {@value #MARKER} (format, start time, encryption scheme and key fingerprint).</li>
 *   <li>Data objects are streamed with {@link #create(String)}, in parallel if the caller likes.</li>
 *   <li>{@link #commit(byte[])} writes {@value #MANIFEST} last. It is the only sign of a complete archive: a backup
 *       killed before it never reads as complete, and {@link BackupCatalog} lists it as partial.</li>
 * </ol>
 * With an {@link EncryptionKey} every object but the marker, manifest included, is encrypted.
 *
 * <p>Thread-safe: objects may be created from several threads; {@link #commit} once, after all of them are closed.
 *
 * @since 0.3
 */
public final class ArchiveWriter {
    /** The manifest's name: written last, the commit marker. */
    public static final String MANIFEST = "manifest.json";
    /** The plaintext marker written first: format, start time, encryption. */
    public static final String MARKER = "archive.json";
    /** The archive format this writer produces. */
    public static final String FORMAT = "arborist-archive";

    private final BackupStore store;
    private final Optional<EncryptionKey> key;
    private final boolean replacePartial;
    private final Clock clock;
    private volatile boolean committed;

    private ArchiveWriter(Builder b) {
        this.store = b.archive.isEmpty() ? b.store : b.store.within(b.archive);
        this.key = b.key;
        this.replacePartial = b.replacePartial;
        this.clock = b.clock;
    }

    /**
     * @param store where the archive goes
     * @param archive its prefix inside the store ({@code 02-lilac-backup/mysql}), or {@code ""} for the store itself
     * @return a builder
     */
    public static Builder into(BackupStore store, String archive) {
        return new Builder(store, archive);
    }

    /** @return where the archive is ({@code s3://bucket/prefix/archive/} or a directory) */
    public Destination location() {
        return store.destination();
    }

    private ArchiveWriter begin() {
        if (store.exists(MANIFEST)) {
            throw new ArboristException(ErrorKind.BACKUP, location() + " already holds a complete backup; a complete backup is"
                    + " never overwritten: choose another destination, or prune it first");
        }
        List<StoredObject> present = store.list("");
        if (!present.isEmpty()) {
            if (!replacePartial) {
                throw new ArboristException(ErrorKind.BACKUP, location() + " holds a partial backup (" + present.size()
                        + " objects, no manifest): remove it with 'arborist backups prune --partial' or choose another destination");
            }
            removePartial(store);
        }
        ObjectNode marker = Json.MAPPER.createObjectNode();
        marker.put("format", FORMAT);
        marker.put("version", 1);
        marker.put("started", clock.instant().toString());
        key.ifPresent(k -> {
            ObjectNode e = marker.putObject("encryption");
            e.put("scheme", EncryptionKey.SCHEME);
            e.put("keyFingerprint", k.fingerprint());
        });
        write(store, MARKER, marker.toString().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Removes a partial archive (one without a manifest; the caller has checked): its objects, and what the writer that
     * was killed left besides them, unfinished multipart uploads on S3 and temporary files in a directory.
     *
     * @param store the store at the archive's prefix
     */
    public static void removePartial(BackupStore store) {
        store.list("").forEach(o -> store.delete(o.name()));
        if (store instanceof Leftovers l) {
            l.leftovers("").forEach(l::discard);
        }
    }

    private static void write(BackupStore store, String name, byte[] bytes) {
        StoreOutputStream out = store.create(name);
        try {
            out.write(bytes);
            out.close();
        } catch (IOException e) {
            out.abort();
            throw new ArboristException(ErrorKind.BACKUP, "cannot write " + ObjectNames.where(store, name) + ": " + e.getMessage(), e);
        }
    }

    private BackupStore data() {
        return key.<BackupStore>map(k -> new EncryptedStore(store, k, "")).orElse(store);
    }

    /**
     * Starts one object of the archive; it is stored when the stream is closed. Abort it on failure.
     *
     * @param name its name inside the archive (not {@value #MANIFEST} or {@value #MARKER})
     * @return the stream
     */
    public StoreOutputStream create(String name) {
        ObjectNames.check(name);
        if (name.equals(MANIFEST) || name.equals(MARKER)) {
            throw new IllegalArgumentException(name + " is written by the archive itself");
        }
        if (committed) {
            throw new IllegalStateException("the archive at " + location() + " is committed");
        }
        return data().create(name);
    }

    /**
     * Reads back an object this archive stored (decrypted when the archive is encrypted), to check it before the
     * manifest is written.
     *
     * @param name its name inside the archive
     * @return its bytes as they were written, streamed; a read throws an {@link IOException} when an encrypted object
     *     was changed
     */
    public InputStream readBack(String name) {
        ObjectNames.check(name);
        return data().open(name);
    }

    /**
     * Writes the manifest, last: from now on the archive reads as complete.
     *
     * @param manifest the manifest's bytes (the adapter's format; it lists the objects and their digests)
     * @throws ArboristException of kind BACKUP when it cannot be stored (then the archive stays partial)
     */
    public void commit(byte[] manifest) {
        Objects.requireNonNull(manifest, "manifest");
        if (committed) {
            throw new IllegalStateException("the archive at " + location() + " is already committed");
        }
        write(data(), MANIFEST, manifest);
        committed = true;
    }

    /**
     * Writes the manifest from a stream the caller fills (a manifest too large to hold as one array).
     *
     * @return a stream; closing it commits the archive
     */
    public OutputStream commitStream() {
        if (committed) {
            throw new IllegalStateException("the archive at " + location() + " is already committed");
        }
        StoreOutputStream out = data().create(MANIFEST);
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.close();
                committed = true;
            }
        };
    }

    /** Deletes every object written so far (after a failed backup); never a committed archive. */
    public void discard() {
        if (committed) {
            throw new IllegalStateException("the archive at " + location() + " is committed; prune it instead");
        }
        store.list("").forEach(o -> store.delete(o.name()));
    }

    @Override
    public String toString() {
        return "ArchiveWriter[" + location() + (key.isPresent() ? ", encrypted" : "") + "]";
    }

    /** Options of an {@link ArchiveWriter}. Not thread-safe. */
    public static final class Builder {
        private final BackupStore store;
        private final String archive;
        private Optional<EncryptionKey> key = Optional.empty();
        private boolean replacePartial;
        private Clock clock = Clock.systemUTC();

        private Builder(BackupStore store, String archive) {
            this.store = Objects.requireNonNull(store, "store");
            this.archive = archive.isEmpty() ? "" : ObjectNames.check(Objects.requireNonNull(archive, "archive"));
        }

        /**
         * @param encryption encrypt every object with this key (default: none)
         * @return this builder
         */
        public Builder encryptedWith(EncryptionKey encryption) {
            this.key = Optional.of(Objects.requireNonNull(encryption, "encryption"));
            return this;
        }

        /**
         * @param encryption the key, when one was given
         * @return this builder
         */
        public Builder encryptedWith(Optional<EncryptionKey> encryption) {
            this.key = Objects.requireNonNull(encryption, "encryption");
            return this;
        }

        /**
         * Deletes a partial archive at the prefix instead of refusing (for a caller that knows it wrote it, such as a
         * resumed run). A complete archive is still refused.
         *
         * @return this builder
         */
        public Builder replacePartial() {
            this.replacePartial = true;
            return this;
        }

        /**
         * @param time the clock for the marker's start time (default: UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock time) {
            this.clock = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Checks the prefix and writes the marker.
         *
         * @return the writer
         * @throws ArboristException of kind BACKUP when the prefix holds a complete archive, or a partial one and
         *     {@link #replacePartial()} was not asked
         */
        public ArchiveWriter start() {
            return new ArchiveWriter(this).begin();
        }
    }
}
