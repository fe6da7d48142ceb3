package io.arborist.clickhouse.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveSeal;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a restore or a verification reads an archive's files: a backup directory as Arborist always wrote it, or an
 * archive in a store ({@link ArchiveReader}: S3, or a local directory holding an encrypted archive), decrypted on the
 * fly. Thread-safe: files may be read from several threads.
 */
public abstract class ArchiveSource implements AutoCloseable {
    private ArchiveSource() {
    }

    /**
     * @param dir a backup directory; one written through a store (it holds {@value ArchiveWriter#MARKER}) is read as one
     * @param key the encryption key, if given
     * @return the source
     * @throws ArboristException of kind VERIFICATION when the archive is encrypted and the key is missing or another
     */
    public static ArchiveSource directory(Path dir, Optional<EncryptionKey> key) {
        if (Files.isRegularFile(dir.resolve(ArchiveWriter.MARKER), LinkOption.NOFOLLOW_LINKS)) {
            BackupStore local = BackupStores.builder().build().open(new Destination.LocalDirectory(dir));
            try {
                return new Store(ArchiveReader.open(local, "", key), key, Optional.of(local));
            } catch (RuntimeException e) {
                local.close();
                throw e;
            }
        }
        return new Directory(dir);
    }

    /**
     * @param store where the archive is
     * @param archive its prefix in the store, or {@code ""}
     * @param key the encryption key, if given
     * @return the source
     * @throws ArboristException of kind VERIFICATION when there is no complete archive, or it is encrypted and the key
     *     is missing or another
     */
    public static ArchiveSource store(BackupStore store, String archive, Optional<EncryptionKey> key) {
        return new Store(ArchiveReader.open(store, archive, key), key, Optional.empty());
    }

    /** @return where the archive is, for messages */
    public abstract String where();

    /** @return the backup directory, when the archive is one on this machine */
    public abstract Optional<Path> directory();

    /**
     * @return the manifest's bytes, read once
     * @throws ArboristException of kind VERIFICATION when it is missing, not a regular file or too large
     */
    public abstract byte[] manifest();

    /** @return the text of a small side file (checksum, seal), empty when it is missing (a problem when it cannot be read) */
    abstract Optional<String> side(String name, List<String> problems);

    /** @return whether a file is there */
    abstract boolean has(String name);

    /**
     * @param rel a file's path inside the archive
     * @param bytes its size per the manifest
     * @return the problem when it is missing, not a regular file or of another size
     */
    public abstract Optional<String> present(String rel, long bytes);

    /**
     * @param rel a file's path inside the archive
     * @return its bytes (decrypted), streamed
     */
    public abstract InputStream open(String rel) throws IOException;

    /**
     * @param e why a file could not be read
     * @return it in a few words, for a problem line (never a secret: messages name objects, not credentials)
     */
    public abstract String failure(Exception e);

    @Override
    public void close() {
    }

    private static final class Directory extends ArchiveSource {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public String where() {
            return dir.toString();
        }

        @Override
        public Optional<Path> directory() {
            return Optional.of(dir);
        }

        @Override
        public byte[] manifest() {
            return ManifestJson.bytes(dir);
        }

        @Override
        Optional<String> side(String name, List<String> problems) {
            Path f = dir.resolve(name);
            try {
                if (Files.isSymbolicLink(f) || Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(f.getFileName() + " is not a regular file");
                    return Optional.empty();
                }
                if (Files.size(f) > ArchiveSeal.MAX_BYTES) {
                    problems.add(f.getFileName() + " is larger than a checksum or seal can be");
                    return Optional.empty();
                }
                return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                problems.add(f.getFileName() + " cannot be read: " + e.getClass().getSimpleName());
                return Optional.empty();
            }
        }

        @Override
        boolean has(String name) {
            return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public Optional<String> present(String rel, long bytes) {
            Path f = dir.resolve(rel);
            String name = DdlPolicy.shown(rel);
            try {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(name + (Files.exists(f, LinkOption.NOFOLLOW_LINKS) ? " is not a regular file (an archive holds regular files only)"
                            : " is missing"));
                }
                long size = Files.size(f);
                if (size != bytes) {
                    return Optional.of(name + " has " + size + " bytes, the manifest says " + bytes + " (truncated or replaced)");
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(name + " cannot be read: " + e.getClass().getSimpleName());
            }
        }

        @Override
        public String failure(Exception e) {
            return e.getClass().getSimpleName();
        }

        @Override
        public InputStream open(String rel) throws IOException {
            return Files.newInputStream(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static final class Store extends ArchiveSource {
        private final ArchiveReader reader;
        private final Optional<EncryptionKey> key;
        private final Optional<BackupStore> owned;
        private final Map<String, Long> sizes = new HashMap<>();

        Store(ArchiveReader reader, Optional<EncryptionKey> key, Optional<BackupStore> owned) {
            this.reader = reader;
            this.key = reader.encrypted() ? key : Optional.empty();
            this.owned = owned;
            for (StoredObject o : reader.objects()) {
                sizes.put(o.name(), o.size());
            }
        }

        @Override
        public String where() {
            return reader.location().toString();
        }

        @Override
        public Optional<Path> directory() {
            return reader.location() instanceof Destination.LocalDirectory l ? Optional.of(l.directory()) : Optional.empty();
        }

        @Override
        public byte[] manifest() {
            return reader.manifest();
        }

        @Override
        Optional<String> side(String name, List<String> problems) {
            if (!sizes.containsKey(name)) {
                return Optional.empty();
            }
            try (InputStream in = reader.open(name)) {
                byte[] bytes = in.readNBytes(ArchiveSeal.MAX_BYTES + 1);
                if (bytes.length > ArchiveSeal.MAX_BYTES) {
                    problems.add(name + " is larger than a checksum or seal can be");
                    return Optional.empty();
                }
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                problems.add(name + " cannot be read: " + oneLine(e));
                return Optional.empty();
            }
        }

        @Override
        boolean has(String name) {
            return sizes.containsKey(name);
        }

        @Override
        public Optional<String> present(String rel, long bytes) {
            String name = DdlPolicy.shown(rel);
            Long size = sizes.get(rel);
            if (size == null) {
                return Optional.of(name + " is missing");
            }
            long expected = key.map(k -> k.ciphertextSize(bytes)).orElse(bytes);
            if (size != expected) {
                return Optional.of(name + " has " + size + " bytes" + (key.isPresent() ? " encrypted (" + expected + " expected for " + bytes
                        + " in the manifest)" : ", the manifest says " + bytes) + " (truncated or replaced)");
            }
            return Optional.empty();
        }

        @Override
        public String failure(Exception e) {
            return oneLine(e);
        }

        @Override
        public InputStream open(String rel) {
            return reader.open(rel);
        }

        @Override
        public void close() {
            owned.ifPresent(BackupStore::close);
        }
    }

    /** @return the first line of an error's message, for one-line problems */
    public static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
