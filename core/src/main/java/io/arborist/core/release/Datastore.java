package io.arborist.core.release;

/**
 * The stateful services an Open edX site runs beside the application.
 *
 * @since 0.1
 */
public enum Datastore {
    /** MySQL: learners' records (edxapp), forum data from Sumac, Superset metadata with Aspects. */
    MYSQL,
    /** MongoDB: course content (modulestore) and, before Sumac, forum data. */
    MONGODB,
    /** Elasticsearch (up to Redwood) or Meilisearch (from Sumac): search indexes, rebuilt rather than migrated. */
    SEARCH,
    /** Redis: cache and Celery broker; ephemeral. */
    REDIS
}
