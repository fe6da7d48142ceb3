package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.StoreOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a backup writes its archive's files: a directory (the classic layout, manifest renamed into place last) or an
 * archive in a {@link io.arborist.core.backup.store.BackupStore} (streamed objects, the manifest as the store's commit
 * marker). Data files may be created from several threads; {@link #commit} once, after all of them are closed.
 */
public interface ArchiveSink {
    /** Takes an empty or absent target (a directory is created owner-only). */
    void prepare();

    /**
     * Called once the backup has connected and planned, before it locks anything: a store's archive, started while
     * the backup connected, must be ready now (its failure, such as a prefix that already holds a backup, is thrown).
     */
    default void ready() {
    }

    /**
     * @param name a data file's name ({@code data/tNNNNN.cNNNNN.tsv.zst})
     * @return its stream; {@link #abort} it on failure, close it to store it
     */
    OutputStream create(String name) throws IOException;

    /** Discards a data file whose writing failed. */
    void abort(OutputStream file);

    /**
     * Writes the seal (with a key) and then the manifest, last.
     *
     * @param dataFiles every data file written, to force to disk first where that applies
     * @return the manifest with its checksum
     */
    Manifest commit(Manifest manifest, Optional<ArchiveKey> key, List<String> dataFiles);

    /** @return where the archive goes, for messages */
    String where();

    /** A directory archive, as every Arborist wrote before object storage. */
    static ArchiveSink directory(Path dir, boolean forceDataFiles) {
        return new ArchiveSink() {
            @Override
            public void prepare() {
                try {
                    OwnerOnly.createDirectories(dir);
                    try (var list = Files.list(dir)) {
                        if (list.findAny().isPresent()) {
                            throw new ArboristException(ErrorKind.CONFIGURATION, "backup directory " + dir
                                    + " is not empty; choose a new or empty directory");
                        }
                    }
                    OwnerOnly.restrictDirectory(dir);
                    OwnerOnly.createDirectories(dir.resolve("data"));
                } catch (IOException e) {
                    throw new ArboristException(ErrorKind.BACKUP, "cannot create the backup directory " + dir + ": " + e.getMessage(), e);
                }
            }

            @Override
            public OutputStream create(String name) throws IOException {
                return OwnerOnly.newOutputStream(dir.resolve(name));
            }

            @Override
            public void abort(OutputStream file) {
                // the directory has no manifest: it never reads as complete
            }

            @Override
            public Manifest commit(Manifest manifest, Optional<ArchiveKey> key, List<String> dataFiles) {
                // every data file reaches the disk before the manifest that vouches for it; forced after the dump, so
                // that no worker waits for the disk while it could be reading rows (the kernel has written most back by now)
                if (forceDataFiles) {
                    try {
                        for (String f : dataFiles) {
                            try (FileChannel ch = FileChannel.open(dir.resolve(f), StandardOpenOption.WRITE)) {
                                ch.force(true);
                            }
                        }
                    } catch (IOException e) {
                        throw new ArboristException(ErrorKind.BACKUP, "backup failed; cannot write " + dir + ": " + e.getMessage(), e);
                    }
                    ManifestIo.fsyncDirectory(dir.resolve("data"));
                }
                return ManifestIo.write(dir, manifest, key);
            }

            @Override
            public String where() {
                return dir.toString();
            }
        };
    }

    /**
     * An archive in a store, started (its prefix checked, its marker written) by the caller. Closing a data file hands
     * its last upload to a background thread (at most {@value #PENDING_CLOSES} at a time, each holding at most one
     * part), so that the worker dumps its next chunk while the previous one finishes uploading; {@link #commit} waits
     * for every upload and fails when one did.
     */
    static ArchiveSink store(ArchiveWriter writer) {
        return new StoreSink(CompletableFuture.completedFuture(writer), writer.location().toString());
    }

    /**
     * As {@link #store(ArchiveWriter)}, for an archive still being started (its prefix checked, its marker written:
     * the store's first requests) while the backup connects and plans; {@link #ready()} waits for it.
     *
     * @param where the archive's location, for messages
     */
    static ArchiveSink store(CompletableFuture<ArchiveWriter> writer, String where) {
        return new StoreSink(writer, where);
    }

    /** Data files whose last upload may run while their worker dumps on. */
    int PENDING_CLOSES = 2;

    /** See {@link #store(ArchiveWriter)}. */
    final class StoreSink implements ArchiveSink {
        private final CompletableFuture<ArchiveWriter> started;
        private final String where;
        private ArchiveWriter writer;
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PENDING_CLOSES);
        private final java.util.concurrent.ThreadPoolExecutor closer;
        private final List<java.util.concurrent.Future<?>> closes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        private StoreSink(CompletableFuture<ArchiveWriter> started, String where) {
            this.started = started;
            this.where = where;
            this.closer = new java.util.concurrent.ThreadPoolExecutor(PENDING_CLOSES, PENDING_CLOSES, 1, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "arborist-upload");
                        t.setDaemon(true);
                        return t;
                    });
            closer.allowCoreThreadTimeOut(true);
        }

        @Override
        public void prepare() {
            // ArchiveWriter.start() checks the prefix; ready() waits for it
        }

        @Override
        public synchronized void ready() {
            if (writer != null) {
                return;
            }
            try {
                writer = started.join();
            } catch (java.util.concurrent.CompletionException e) {
                closer.shutdown();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new ArboristException(ErrorKind.BACKUP, "backup failed; cannot start the archive in " + where + ": "
                        + e.getCause(), e.getCause());
            }
        }

        private synchronized ArchiveWriter writer() {
            ready();
            return writer;
        }

        @Override
        public OutputStream create(String name) {
            return new ObjectStream(writer().create(name));
        }

        @Override
        public void abort(OutputStream file) {
            ((ObjectStream) file).abort();
        }

        /** A data object whose close uploads its last part in the background. */
        private final class ObjectStream extends java.io.FilterOutputStream {
            private final StoreOutputStream object;
            private boolean closed;

            ObjectStream(StoreOutputStream object) {
                super(object);
                this.object = object;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                object.write(b, off, len);
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                slots.acquireUninterruptibly();
                try {
                    closes.add(closer.submit(() -> {
                        try {
                            object.close();
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
                } catch (RuntimeException e) {
                    slots.release();
                    object.abort();
                    throw e;
                }
            }

            void abort() {
                if (!closed) {
                    closed = true;
                    object.abort();
                }
            }
        }

        @Override
        public Manifest commit(Manifest manifest, Optional<ArchiveKey> key, List<String> dataFiles) {
            List<java.util.concurrent.Future<?>> pending;
            synchronized (closes) {
                pending = List.copyOf(closes);
            }
            try {
                for (java.util.concurrent.Future<?> f : pending) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArboristException(ErrorKind.INTERRUPTED, "backup interrupted; the archive in " + where() + " is incomplete", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof ArboristException a) {
                    throw a;
                }
                throw new ArboristException(ErrorKind.BACKUP, "backup failed; cannot upload into " + where() + ": " + c.getMessage(), c);
            } finally {
                closer.shutdown();
            }
            Manifest withSum = ManifestIo.withChecksum(manifest);
            byte[] bytes = ManifestIo.serialize(withSum);
            if (key.isPresent()) {
                StoreOutputStream seal = writer().create(ManifestIo.SEAL);
                try {
                    seal.write(ArchiveSeal.of(key.get(), bytes).bytes());
                    seal.close();
                } catch (IOException e) {
                    seal.abort();
                    throw new ArboristException(ErrorKind.BACKUP, "cannot write the seal in " + where() + ": " + e.getMessage(), e);
                }
            }
            writer().commit(bytes);
            return withSum;
        }

        @Override
        public String where() {
            return where;
        }
    }
}
