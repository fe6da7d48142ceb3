package io.arborist.mysql;

/**
 * What a restore does when the target already has an object (table, view, routine, trigger, event) of the archive.
 *
 * @since 0.1
 */
public enum ConflictPolicy {
    /** Refuse before changing anything, naming the objects (the default). */
    FAIL,
    /** Drop the existing objects and recreate them from the archive. */
    DROP,
    /** Keep existing tables and load the archive's rows into them; keep existing views and routines. */
    APPEND
}
