/**
 * The upgrade planner: {@link io.arborist.core.plan.UpgradePlanner} turns an
 * {@link io.arborist.core.plan.Installation} and a {@link io.arborist.core.plan.Target} into an immutable
 * {@link io.arborist.core.plan.UpgradePlan} of {@link io.arborist.core.plan.UpgradeStep}s, rendered as JSON,
 * Markdown or a shell script.
 */
package io.arborist.core.plan;
