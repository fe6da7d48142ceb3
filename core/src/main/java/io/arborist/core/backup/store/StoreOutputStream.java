package io.arborist.core.backup.store;

import java.io.OutputStream;

/**
 * A stream that writes one object of a {@link BackupStore}. The object appears, whole, only when {@link #close()}
 * returns normally; until then no reader sees it. On any failure call {@link #abort()}: it discards what was written
 * (and, on S3, aborts the multipart upload). A stream that is neither closed nor aborted (a killed process) leaves no
 * object behind, only a temporary file or an incomplete upload that {@link BackupCatalog} reports.
 *
 * <p>Not thread-safe: one writer thread per stream.
 *
 * @since 0.3
 */
public abstract class StoreOutputStream extends OutputStream {
    /** Only the stores of this package write objects. */
    StoreOutputStream() {
    }

    /** Discards what was written; the object is not created. Idempotent; never throws. */
    public abstract void abort();

    /**
     * Commits the object: when this returns it is stored, whole.
     *
     * @throws java.io.IOException when it could not be stored (then nothing was)
     */
    @Override
    public abstract void close() throws java.io.IOException;
}
