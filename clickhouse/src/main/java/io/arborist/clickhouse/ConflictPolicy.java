package io.arborist.clickhouse;

/**
 * What a restore does when an object it would create already exists.
 *
 * @since 0.1
 */
public enum ConflictPolicy {
    /** Refuse before changing anything, naming the existing objects (default). */
    FAIL,
    /** Drop the existing objects (views first), then restore. */
    DROP,
    /** Keep existing objects and add the backup's rows to existing tables; such tables are not checksum-verified. */
    APPEND
}
