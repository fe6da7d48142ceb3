package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * An archive in a {@link BackupStore} (an S3 prefix, or a local directory written through a store, as an encrypted
 * backup is): read through an {@link ArchiveReader}, which refuses a partial archive and decrypts on the fly. The
 * objects are listed once; every {@link #open} is its own GET, so the loader's workers read files in parallel.
 * Thread-safe.
 */
final class StoreFiles implements ArchiveFiles {
    private final ArchiveReader reader;
    private final Optional<EncryptionKey> key;
    private final Map<String, Long> sizes;
    private final Path journal;

    private StoreFiles(ArchiveReader reader, Optional<EncryptionKey> key, Path journal) {
        this.reader = reader;
        this.key = key;
        this.sizes = reader.objects().stream().collect(Collectors.toMap(StoredObject::name, StoredObject::size, (a, b) -> b));
        this.journal = journal;
    }

    /**
     * @throws ArboristException VERIFICATION for a partial or missing archive, an encrypted one without its key or
     *     with another one
     */
    static StoreFiles open(BackupStore store, Optional<EncryptionKey> key, Path journal) {
        ArchiveReader reader = ArchiveReader.open(store, "", key);
        return new StoreFiles(reader, reader.encrypted() ? key : Optional.empty(), journal);
    }

    @Override
    public String location() {
        return reader.location().toString();
    }

    private boolean own(String name) {
        return name.equals(ManifestIo.MANIFEST) || name.equals(ManifestIo.SEAL) || ArchiveCheck.DATA_FILE.matcher(name).matches();
    }

    @Override
    public boolean digestsWhileLoading() {
        return true;
    }

    @Override
    public OptionalLong size(String name) {
        Long s = own(name) ? sizes.get(name) : null;
        return s == null ? OptionalLong.empty() : OptionalLong.of(s);
    }

    @Override
    public long storedSize(long plainBytes) {
        return key.map(k -> k.ciphertextSize(plainBytes)).orElse(plainBytes);
    }

    @Override
    public InputStream open(String name) throws IOException {
        if (!own(name) || (!name.equals(ArchiveWriter.MANIFEST) && !sizes.containsKey(name))) {
            throw new NoSuchFileException(describe(name), null, "not in the archive");
        }
        return reader.open(name);
    }

    @Override
    public String describe(String name) {
        return location() + (location().endsWith("/") ? "" : "/") + name;
    }

    @Override
    public Path journal() {
        return journal;
    }

    @Override
    public void close() {
        // the store is the caller's
    }
}
