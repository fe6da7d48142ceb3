package io.arborist.core.report;

/**
 * How a count moved between two snapshots.
 *
 * @since 0.1
 */
public enum Change {
    /** Fewer than before (or gone): learners lost something. */
    LOSS,
    /** More than before: an upgrade may cause this legitimately (backfilled grades, new events). */
    GROWTH,
    /** Present only after. */
    NEW,
    /** The same. */
    UNCHANGED,
    /** A table present before is missing after (renamed or dropped by a release): compare by hand. */
    MISSING_TABLE
}
