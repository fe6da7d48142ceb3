package io.arborist.core.plan;

/**
 * What a plan step does. The JSON form of a step carries this name as {@code kind}.
 *
 * @since 0.1
 */
public enum StepKind {
    /** Read and confirm settings before anything changes. */
    PREPARE,
    /** Take (and keep until the end) backups that cover the data-migrating steps after it. */
    BACKUP,
    /** Install Tutor, plugins or Aspects at pinned versions with pip. */
    INSTALL,
    /** Regenerate Tutor's environment ({@code config save}) or prepare files. */
    CONFIGURE,
    /** Build (and on Kubernetes push) Docker images. */
    BUILD_IMAGES,
    /** Pull the official images Tutor publishes (an intermediate hop nothing customises). */
    PULL_IMAGES,
    /** {@code tutor <mode> upgrade --from=<release>}: Tutor's release-specific data steps. */
    UPGRADE,
    /** A datastore step Tutor does not run itself (printed on Kubernetes, or never automated). */
    DATASTORE,
    /** A data migration the operator runs (for example the forum MongoDB to MySQL move). */
    MIGRATE,
    /** {@code launch}: restart on the new release and run its init jobs (Django migrations). */
    LAUNCH,
    /** Rebuild search indexes. */
    REINDEX,
    /** Set aside, restore or activate the custom theme. */
    THEME,
    /** Aspects initialisation: ClickHouse migrations (alembic) and dbt models. */
    ASPECTS_INIT,
    /** An Aspects release-specific data step (dbt refresh). */
    ASPECTS_MIGRATE,
    /** Review custom SQL against Aspects table renames. */
    ASPECTS_RENAMES,
    /** {@code remove_deprecated_models}: drop Aspects models the new version no longer uses. */
    ASPECTS_CLEANUP,
    /** Read-only checks that the step before succeeded. */
    CHECK,
    /** Confirm that no learner data was lost and decide what to do with the backups. */
    VERIFY
}
