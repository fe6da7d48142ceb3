package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.plan.Calibration;
import io.arborist.core.plan.EstimateRange;
import io.arborist.core.plan.Measurement;
import io.arborist.core.plan.StepKind;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Koa to Lilac: 01 … 07 done, 08 (launch, 15 min) running for 5 min; 09 reindex 30, 10 check 5, 11 verify 30 left. */
class TimeLeftTest {
    static final UpgradePlan PLAN = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac");
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    @Test
    void a_running_journal_has_the_estimates_of_the_steps_left_less_what_the_running_one_has_spent() {
        UpgradeJournal journal = running();
        Instant now = T0.plus(Duration.ofMinutes(65));

        TimeLeft left = UpgradeExecutor.timeLeft(journal, UpgradeExecutor.plan(journal), now);

        assertThat(left.steps()).isEqualTo(4);
        assertThat(left.running()).contains("08-lilac-launch");
        assertThat(left.runningFor()).isEqualTo(Duration.ofMinutes(5));
        // expected 10 + 30 + 5 + 30; low 10.5 - 5 + 21 + 3.5 + 21; high 30 - 5 + 60 + 10 + 60
        assertThat(left.remaining()).isEqualTo(new EstimateRange(Duration.ofSeconds(51 * 60), Duration.ofMinutes(75), Duration.ofMinutes(155)));
    }

    @Test
    void a_calibrated_plan_gives_the_time_left_from_the_measured_estimates() {
        UpgradeJournal journal = running();
        UpgradePlan calibrated = UpgradeExecutor.plan(journal).calibrated(Calibration.of(List.of(
                Measurement.of("09-lilac-search-reindex-es7", StepKind.REINDEX, new ReleaseName("lilac"), Duration.ofMinutes(20)))));

        TimeLeft left = UpgradeExecutor.timeLeft(journal, calibrated, T0.plus(Duration.ofMinutes(65)));

        // 09 is measured (20 min, 16 to 24); the others as before
        assertThat(left.remaining()).isEqualTo(new EstimateRange(Duration.ofMinutes(46), Duration.ofMinutes(65), Duration.ofMinutes(119)));
    }

    @Test
    void a_running_step_past_its_estimate_counts_zero_and_a_finished_run_has_nothing_left() {
        UpgradeJournal journal = running();
        TimeLeft late = UpgradeExecutor.timeLeft(journal, PLAN, T0.plus(Duration.ofHours(5)));
        assertThat(late.remaining().expected()).isEqualTo(Duration.ofMinutes(65));

        Instant at = T0.plus(Duration.ofHours(6));
        for (UpgradeStep s : PLAN.steps().subList(7, PLAN.steps().size())) {
            journal.append(new JournalEntry.StepEnded(at, s.id(), true, Duration.ofMinutes(1), List.of(), Optional.empty()));
        }
        TimeLeft done = UpgradeExecutor.timeLeft(journal, PLAN, at);
        assertThat(done.steps()).isZero();
        assertThat(done.remaining()).isEqualTo(EstimateRange.ZERO);
        assertThat(done.running()).isEmpty();
    }

    @Test
    void a_plan_of_other_steps_is_refused() {
        UpgradePlan other = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "maple");
        assertThatThrownBy(() -> UpgradeExecutor.timeLeft(running(), other, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not those of journal");
    }

    private static UpgradeJournal running() {
        UpgradeJournal journal = UpgradeJournal.inMemory();
        journal.append(new JournalEntry.PlanStarted(T0, UpgradeExecutor.sha256(PLAN), PLAN.toJson(), "run-1"));
        Instant at = T0;
        for (UpgradeStep s : PLAN.steps().subList(0, 7)) {
            journal.append(new JournalEntry.StepStarted(at, s.id()));
            at = at.plus(Duration.ofMinutes(s.id().equals("07-lilac-upgrade") ? 2 : 10));
            journal.append(new JournalEntry.StepEnded(at, s.id(), true, Duration.ofMinutes(10), List.of(), Optional.empty()));
        }
        assertThat(at).isEqualTo(T0.plus(Duration.ofMinutes(62)));
        journal.append(new JournalEntry.StepStarted(at.minus(Duration.ofMinutes(2)), "08-lilac-launch"));
        return journal;
    }
}
