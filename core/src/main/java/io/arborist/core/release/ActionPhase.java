package io.arborist.core.release;

/**
 * When, within one hop of an upgrade, an {@link UpgradeAction} happens.
 *
 * @since 0.1
 */
public enum ActionPhase {
    /** While the old release still runs, before the new Tutor is installed. */
    BEFORE_HOP,
    /** Inside {@code tutor <mode> upgrade --from=<release>}. */
    UPGRADE,
    /** After the upgrade command and before {@code launch}. */
    BEFORE_LAUNCH,
    /** After {@code launch} has started the new release. */
    AFTER_LAUNCH
}
