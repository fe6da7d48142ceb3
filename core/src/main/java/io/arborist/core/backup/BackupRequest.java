package io.arborist.core.backup;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.plan.BackupTarget;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the executor asks a {@link BackupProvider} to save, and where: a location reserved for this backup alone (a
 * local directory, or an S3 prefix), with a store rooted there. The provider writes only into {@code store}; its
 * manifest goes last ({@link BackupProvider}). For a local directory, providers may write the directory themselves
 * ({@link #localDirectory()}); for S3, and whenever the run encrypts its backups ({@link #encryption()}), they stream
 * every object through the store, encrypted with the request's key. The executor refuses a backup of an encrypting run
 * whose archive is not encrypted with that key.
 *
 * <pre>{@code
 * if (request.localDirectory().isPresent()) {
 *     writeInto(request.localDirectory().get());            // as before S3 destinations
 * } else {
 *     ArchiveWriter archive = ArchiveWriter.into(request.store(), "").encryptedWith(request.encryption()).start();
 *     ...
 * }
 * }</pre>
 *
 * @param stepId the plan's backup step
 * @param target what to save
 * @param location where the backup goes, empty when the request is made: a directory, or an S3 prefix with no object
 * @param store the objects at {@code location}, open for the duration of the call (the executor closes it)
 * @param encryption the key every object of the backup is encrypted with ({@link
 *     io.arborist.core.backup.store.ArchiveWriter.Builder#encryptedWith(Optional)}), when the run encrypts its backups
 * @since 0.1
 */
public record BackupRequest(String stepId, BackupTarget target, Destination location, BackupStore store,
                            Optional<EncryptionKey> encryption) {
    /**
     * Validates.
     *
     * @param stepId the plan's backup step
     * @param target what to save
     * @param location where the backup goes, empty when the request is made: a directory, or an S3 prefix with no object
     * @param store the objects at {@code location}, open for the duration of the call (the executor closes it)
     * @param encryption the key every object of the backup is encrypted with, when the run encrypts its backups
     */
    public BackupRequest {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(encryption, "encryption");
        if (!store.destination().equals(location)) {
            throw new IllegalArgumentException("the store is rooted at " + store.destination() + ", not at " + location);
        }
    }

    /**
     * An unencrypted backup.
     *
     * @param stepId the plan's backup step
     * @param target what to save
     * @param location where the backup goes, empty when the request is made: a directory, or an S3 prefix with no object
     * @param store the objects at {@code location}, open for the duration of the call (the executor closes it)
     */
    public BackupRequest(String stepId, BackupTarget target, Destination location, BackupStore store) {
        this(stepId, target, location, store, Optional.empty());
    }

    /**
     * A request for a local directory (the store is the directory itself).
     *
     * @param stepId the plan's backup step
     * @param target what to save
     * @param directory an empty or missing directory reserved for this backup; the provider writes only below it
     */
    public BackupRequest(String stepId, BackupTarget target, Path directory) {
        this(stepId, target, new Destination.LocalDirectory(directory),
                BackupStores.builder().build().open(new Destination.LocalDirectory(directory)));
    }

    /**
     * @return the directory, when the backup goes to a local one unencrypted; empty for S3 and for an encrypted backup,
     *     which the provider writes through {@link #store()}
     */
    public Optional<Path> localDirectory() {
        return location instanceof Destination.LocalDirectory local && encryption.isEmpty() ? Optional.of(local.directory())
                : Optional.empty();
    }
}
