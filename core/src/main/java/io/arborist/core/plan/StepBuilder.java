package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields command and manual steps share, set by name instead of by position. Obtain one with
 * {@link CommandStep#builder(String, StepKind, ReleaseName)} or {@link ManualStep#builder(String, StepKind, ReleaseName)};
 * {@code build()} validates like the record constructors do.
 *
 * <pre>{@code
 * CommandStep save = CommandStep.builder("03-lilac-config-save", StepKind.CONFIGURE, ReleaseName.of("lilac"))
 *         .title("Regenerate the Tutor environment")
 *         .command(List.of("tutor", "config", "save"))
 *         .rationale("Renders Lilac's configuration before the build.")
 *         .estimate(Duration.ofMinutes(1))
 *         .build();
 * }</pre>
 *
 * <p>Not thread-safe; one builder per step.
 *
 * @param <B> the concrete builder, returned by every setter
 * @since 0.2
 */
public abstract sealed class StepBuilder<B extends StepBuilder<B>> permits CommandStep.Builder, ManualStep.Builder {
    final String id;
    final StepKind kind;
    final ReleaseName release;
    String title;
    final List<List<String>> commands = new ArrayList<>();
    String rationale;
    Duration estimate;
    Optional<String> rollback = Optional.empty();
    boolean migratesData;
    Optional<String> coveredBy = Optional.empty();

    StepBuilder(String id, StepKind kind, ReleaseName release) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.release = Objects.requireNonNull(release, "release");
    }

    abstract B self();

    /**
     * @param title a short imperative title
     * @return this
     */
    public B title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return self();
    }

    /**
     * @param argv one more command, as an argv list
     * @return this
     */
    public B command(List<String> argv) {
        commands.add(List.copyOf(argv));
        return self();
    }

    /**
     * @param argvs more commands, in order
     * @return this
     */
    public B commands(List<List<String>> argvs) {
        argvs.forEach(this::command);
        return self();
    }

    /**
     * @param rationale why the step is there, citing its source
     * @return this
     */
    public B rationale(String rationale) {
        this.rationale = Objects.requireNonNull(rationale, "rationale");
        return self();
    }

    /**
     * @param estimate how long the step is expected to take
     * @return this
     */
    public B estimate(Duration estimate) {
        this.estimate = Objects.requireNonNull(estimate, "estimate");
        return self();
    }

    /**
     * @param rollback how to undo the step (default: no way)
     * @return this
     */
    public B rollback(String rollback) {
        this.rollback = Optional.of(rollback);
        return self();
    }

    /**
     * @param rollback how to undo the step, if there is a way
     * @return this
     */
    public B rollback(Optional<String> rollback) {
        this.rollback = Objects.requireNonNull(rollback, "rollback");
        return self();
    }

    /**
     * Marks the step as changing stored data, protected by a backup step.
     *
     * @param backupStepId the backup step that covers it
     * @return this
     */
    public B migratesData(String backupStepId) {
        this.migratesData = true;
        this.coveredBy = Optional.of(backupStepId);
        return self();
    }

    /**
     * @param migrates whether the step changes stored data (default: no)
     * @param backupStepId the backup step that covers it, required when it does
     * @return this
     */
    public B migratesData(boolean migrates, Optional<String> backupStepId) {
        this.migratesData = migrates;
        this.coveredBy = Objects.requireNonNull(backupStepId, "backupStepId");
        return self();
    }
}
