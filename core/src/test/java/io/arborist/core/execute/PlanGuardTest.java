package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** A hand-edited plan is refused before its first step, with one line per problem, and nothing runs. */
class PlanGuardTest {
    private static final UpgradePlan PLAN = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "lilac");

    private static RecordingRunner refused(String json, String... expected) {
        RecordingRunner runner = new RecordingRunner();
        UpgradeJournal journal = UpgradeJournal.inMemory();
        assertThatThrownBy(() -> UpgradeExecutor.builder().tutor(runner).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backupsTakenByHand(EnumSet.allOf(BackupTarget.class), "test").build().execute(UpgradePlan.fromJson(json)))
                .isInstanceOf(ArboristException.class).hasMessageStartingWith("Refusing the plan:").hasMessageContainingAll(expected);
        assertThat(runner.ran).as("nothing ran").isEmpty();
        assertThat(journal.entries()).as("nothing journaled").isEmpty();
        return runner;
    }

    @Test
    void the_planner_s_own_plan_passes() {
        assertThat(PlanGuard.problems(PLAN, ReleaseCatalog.bundled())).isEmpty();
    }

    @Test
    void an_injected_shell_command_is_refused() {
        String json = PLAN.toJson().replace("[ \"tutor\", \"config\", \"save\" ]", "[ \"sh\", \"-c\", \"rm -rf /srv\" ]");
        assertThat(json).contains("rm -rf /srv");
        refused(json, "05-lilac-config-save: 'sh' is not a command Arborist plans");
    }

    @Test
    void removing_covered_by_and_the_migrates_flag_does_not_bypass_the_backup_guard() {
        String json = PLAN.toJson().replace("\"migratesData\" : true,\n    \"coveredBy\" : \"02-lilac-backup\",", "\"migratesData\" : false,");
        assertThat(json).doesNotContain("\"coveredBy\"");
        refused(json, "07-lilac-upgrade: changes stored data (tutor local upgrade --from=koa -I) but names no backup step",
                "08-lilac-launch: changes stored data");
    }

    @Test
    void covered_by_pointing_at_a_step_that_is_not_a_backup_is_refused() {
        String json = PLAN.toJson().replace("\"coveredBy\" : \"02-lilac-backup\"", "\"coveredBy\" : \"01-koa-prepare\"");
        refused(json, "coveredBy names '01-koa-prepare', which is not a backup step before it");
    }

    @Test
    void a_command_the_installed_tutor_rejects_is_refused_naming_the_version() {
        String json = PLAN.toJson().replace("\"--from=koa\", \"-I\"", "\"--from=lilac\", \"-I\"");
        assertThat(json).contains("--from=lilac\", \"-I");
        refused(json, "07-lilac-upgrade: Tutor 12.2.0", "lilac");
    }

    @Test
    void every_plan_the_planner_writes_passes_the_guard() {
        ReleaseCatalog catalog = ReleaseCatalog.bundled();
        UpgradePlanner planner = UpgradePlanner.create(catalog);
        int plans = 0;
        for (int i = 0; i < catalog.releases().size(); i++) {
            for (int j = i + 1; j < catalog.releases().size(); j++) {
                for (io.arborist.core.plan.Strategy s : io.arborist.core.plan.Strategy.values()) {
                    for (io.arborist.core.plan.DeploymentMode m : io.arborist.core.plan.DeploymentMode.values()) {
                        UpgradePlan plan = planner.plan(io.arborist.core.plan.Installation.of(catalog.releases().get(i).newest())
                                .withMode(m).withCustomTheme("t"), io.arborist.core.plan.Target.of(catalog.releases().get(j).newest()),
                                io.arborist.core.plan.PlanOptions.defaults().withStrategy(s));
                        assertThat(PlanGuard.problems(plan, catalog)).as(plan.toString()).isEmpty();
                        plans++;
                    }
                }
            }
        }
        assertThat(plans).isEqualTo(546);
    }
}
