/**
 * The journaled, resumable executor: {@link io.arborist.core.execute.UpgradeExecutor} runs an
 * {@link io.arborist.core.plan.UpgradePlan} through a {@link io.arborist.core.spi.TutorRunner} and the wired
 * {@link io.arborist.core.backup.BackupProvider}s, recording every step in an
 * {@link io.arborist.core.execute.UpgradeJournal}.
 */
package io.arborist.core.execute;
