package io.arborist.core.backup;

/**
 * What a restore does when the target already has an object (a table, view, routine, dictionary...) of the archive.
 * The MySQL and ClickHouse restores take the same policy ({@code ifExists}).
 *
 * @since 0.3
 */
public enum ConflictPolicy {
    /** Refuse before changing anything, naming the existing objects (the default). */
    FAIL,
    /** Drop the existing objects (views first) and recreate them from the archive. */
    DROP,
    /**
     * Keep the existing objects and load the archive's rows into the existing tables; such tables are verified by row
     * count only where the adapter cannot tell the old rows from the new (see {@link TableCheck#note()}).
     */
    APPEND
}
