package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of an {@link UpgradePlan}. A closed family: {@link BackupStep} (saves data, run by backup adapters),
 * {@link CommandStep} (commands Arborist can run) and {@link ManualStep} (work a person does or confirms, with the
 * commands to run where there are some).
 *
 * <p>Commands are argv lists, never shell text. They may hold two placeholders resolved only when executed, so no
 * configuration value (secret or not) is ever stored in a plan: {@code ${TUTOR_ROOT}} (what {@code tutor config
 * printroot} prints) and {@code ${TUTOR_CONFIG:KEY}} (what {@code tutor config printvalue KEY} prints).
 *
 * @since 0.1
 */
public sealed interface UpgradeStep permits BackupStep, CommandStep, ManualStep {
    /** @return identifier, unique within the plan, e.g. {@code 07-lilac-build-images} */
    String id();

    /** @return what the step does */
    StepKind kind();

    /** @return the release the step belongs to (the release being reached, or the one running for Aspects work) */
    ReleaseName release();

    /** @return a short imperative title */
    String title();

    /** @return argv lists in order; empty for steps with nothing to run */
    List<List<String>> commands();

    /** @return why the step is there, citing the rule or fact behind it; never empty */
    String rationale();

    /** @return how long the step is expected to take */
    Duration estimate();

    /** @return how to undo the step, where there is a way */
    Optional<String> rollback();

    /** @return whether the step changes stored data (then a backup step covers it) */
    boolean migratesData();

    /** @return the id of the backup step that covers this step, for data-migrating steps */
    Optional<String> coveredBy();
}
