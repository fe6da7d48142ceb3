package io.arborist.core.plan;

/**
 * What a backup step must save.
 *
 * @since 0.1
 */
public enum BackupTarget {
    /** MySQL databases (edxapp, forum data from Sumac, Superset metadata with Aspects). */
    MYSQL,
    /** MongoDB (course content; forum data before Sumac). */
    MONGODB,
    /** ClickHouse (Aspects: xapi, event_sink, reporting). */
    CLICKHOUSE,
    /** The search engine's data directory, where an engine change cannot read it back. */
    SEARCH_INDEX,
    /** Tutor's root: config.yml and env/, enough to go back to the previous Tutor. */
    TUTOR_ROOT
}
