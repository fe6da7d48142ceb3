package io.arborist.clickhouse.internal;

import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.StoreOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a streaming backup writes its files: a backup directory (each file through a temporary file, fsync and an atomic
 * rename, owner-only) or an {@link ArchiveWriter} (a local or S3 store, optionally encrypted: each file streamed as it is
 * written, a multipart upload on S3). The manifest is written last by {@link #commit(byte[])} in both.
 */
public abstract class ArchiveSink {
    private ArchiveSink() {
    }

    /**
     * @param dir a backup directory (it exists, owner-only and empty)
     * @return the sink
     */
    public static ArchiveSink directory(Path dir) {
        return new Directory(dir);
    }

    /**
     * @param archive an archive that was started
     * @return the sink
     */
    public static ArchiveSink store(ArchiveWriter archive) {
        return new Store(archive);
    }

    /** @return where the archive is, for messages */
    public abstract String where();

    /**
     * @param rel a file's path inside the archive, with {@code /} separators
     * @return a stream writing it: closing it stores the file, {@link Out#abort()} discards it
     */
    public abstract Out create(String rel) throws IOException;

    /** Writes a small file (a schema file, the manifest's checksum or seal). */
    public void write(String rel, byte[] bytes) throws IOException {
        Out out = create(rel);
        try {
            out.write(bytes);
            out.close();
        } catch (IOException | RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    /** Writes the manifest: from now on the archive reads as complete. */
    public abstract void commit(byte[] manifest) throws IOException;

    /** One file being written: closing it stores the file, unless it was aborted. Not thread-safe. */
    public abstract static class Out extends FilterOutputStream {
        private long written;
        private boolean aborted;

        Out(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }

        /** @return the bytes written so far */
        public long written() {
            return written;
        }

        @Override
        public void flush() throws IOException {
            if (!aborted) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (!aborted) {
                super.close();
                commit();
            }
        }

        /** Discards the file (a later {@link #close()} does nothing); never throws. */
        public void abort() {
            if (!aborted) {
                aborted = true;
                discard();
            }
        }

        abstract void commit() throws IOException;

        abstract void discard();
    }

    private static final class Directory extends ArchiveSink {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public String where() {
            return dir.toString();
        }

        @Override
        public Out create(String rel) throws IOException {
            Path file = dir.resolve(rel);
            OwnerOnly.directories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".partial");
            return new Out(new BufferedOutputStream(OwnerOnly.newFile(tmp), 1 << 16)) {
                @Override
                void commit() throws IOException {
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }

                @Override
                void discard() {
                    try {
                        out.close();
                        Files.deleteIfExists(tmp);
                    } catch (IOException e) {
                        // the temporary file stays; it is never read as part of the archive
                    }
                }
            };
        }

        @Override
        public void write(String rel, byte[] bytes) throws IOException {
            Path file = dir.resolve(rel);
            OwnerOnly.directories(file.getParent());
            OwnerOnly.write(file, bytes);
        }

        @Override
        public void commit(byte[] manifest) throws IOException {
            OwnerOnly.write(dir.resolve(io.arborist.clickhouse.ClickHouseManifest.FILE), manifest);
        }
    }

    private static final class Store extends ArchiveSink {
        private final ArchiveWriter archive;

        Store(ArchiveWriter archive) {
            this.archive = archive;
        }

        @Override
        public String where() {
            return archive.location().toString();
        }

        @Override
        public Out create(String rel) {
            StoreOutputStream s = archive.create(rel);
            return new Out(s) {
                @Override
                void commit() {
                    // closing the store's stream stored the object
                }

                @Override
                void discard() {
                    s.abort();
                }
            };
        }

        @Override
        public void commit(byte[] manifest) {
            archive.commit(manifest);
        }
    }
}
