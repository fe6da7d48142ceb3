package io.arborist.clickhouse;

/**
 * What a backed-up ClickHouse object is; decides when a restore creates it.
 *
 * @since 0.1
 */
public enum ObjectKind {
    /** A table (any engine), including a materialized view's {@code TO} target. Created before data is loaded. */
    TABLE,
    /** The storage table of a materialized view without {@code TO} ({@code .inner.<view>}); created by its view. */
    INNER_TABLE,
    /** A plain view; created after all data is loaded. */
    VIEW,
    /** A materialized view; created after data is loaded so no restored row passes through it. */
    MATERIALIZED_VIEW,
    /** A DDL dictionary (ClickHouse 20.1+); created last. */
    DICTIONARY
}
