package io.arborist.core.release;

/**
 * What kind of work an {@link UpgradeAction} is.
 *
 * @since 0.1
 */
public enum ActionKind {
    /** A MongoDB image and featureCompatibilityVersion step (one major at a time). */
    MONGODB,
    /** A MySQL server upgrade step. */
    MYSQL,
    /** A data task Tutor runs itself during {@code upgrade --from} (backfills, waffle flags, plugin switches). */
    TASK,
    /** Commands the operator must run; Tutor does not run them in any mode. */
    MANUAL,
    /** Advice with no command: shown in the plan, never executed. */
    ADVICE
}
