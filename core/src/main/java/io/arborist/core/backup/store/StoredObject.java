package io.arborist.core.backup.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One object of a {@link BackupStore}, as listed.
 *
 * @param name its name relative to the store, {@code /}-separated
 * @param size its size in bytes as stored (ciphertext size in an encrypted archive)
 * @param modified when it was last written
 * @since 0.3
 */
public record StoredObject(String name, long size, Instant modified) {
    /**
     * Validates.
     *
     * @param name its name relative to the store, {@code /}-separated
     * @param size its size in bytes as stored (ciphertext size in an encrypted archive)
     * @param modified when it was last written
     */
    public StoredObject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }
}
