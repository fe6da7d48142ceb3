package io.arborist.core.backup.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Objects (files) below one {@link Destination}: a local directory or an S3 prefix. Archives are written and read
 * through it as streams, so nothing is staged whole in memory or on local disk. Open one with
 * {@link BackupStores#open(Destination)}; archives use it through {@link ArchiveWriter} and {@link ArchiveReader}.
 *
 * <p>Names are relative, {@code /}-separated paths ({@code edxapp/auth_user.000.zst}). Thread-safe: many objects may
 * be written and read at once. Failures are {@link io.arborist.core.ArboristException}s whose one-line message names
 * the object and never holds a credential: kind UNREACHABLE when the store cannot be reached or refuses access
 * (missing bucket, wrong credentials, network), VERIFICATION when an object an archive needs is missing.
 *
 * @since 0.3
 */
public interface BackupStore extends AutoCloseable {
    /** @return where this store's objects are */
    Destination destination();

    /**
     * Starts writing an object; it appears whole when the stream is closed, replacing an object of the same name.
     *
     * @param name the object's name
     * @return the stream; {@link StoreOutputStream#abort()} it on failure
     */
    StoreOutputStream create(String name);

    /**
     * @param name the object's name
     * @return its bytes, streamed
     * @throws io.arborist.core.ArboristException of kind VERIFICATION when the object is missing
     */
    InputStream open(String name);

    /**
     * Reads part of an object (one ranged GET on S3): restores and verification read large files in parallel ranges.
     *
     * @param name the object's name
     * @param offset first byte
     * @param length bytes to read; fewer when the object ends first
     * @return the bytes, streamed
     */
    InputStream open(String name, long offset, long length);

    /**
     * @param name the object's name
     * @return its size and date, when it exists
     */
    Optional<StoredObject> stat(String name);

    /**
     * @param name the object's name
     * @return whether it exists
     */
    default boolean exists(String name) {
        return stat(name).isPresent();
    }

    /**
     * Lists objects, sorted by name.
     *
     * @param prefix a directory-like prefix ({@code ""} for everything, {@code "a/b"} for everything below {@code a/b/})
     * @return the objects below it, with names relative to this store
     */
    List<StoredObject> list(String prefix);

    /**
     * Deletes an object; nothing happens when it is missing.
     *
     * @param name the object's name
     */
    void delete(String name);

    /**
     * @param prefix a directory-like prefix
     * @return a view of the objects below it, named relative to it (shares this store's connections; closing it does
     *     nothing)
     */
    BackupStore within(String prefix);

    /** Releases connections and threads. */
    @Override
    void close();
}
