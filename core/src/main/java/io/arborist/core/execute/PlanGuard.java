package io.arborist.core.execute;

import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.PlanConformance;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradeStep;
import io.arborist.core.release.ReleaseCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the executor checks before the first step of a plan, which may have been edited by hand: every command must be
 * one the software installed at its step accepts, in the shapes the planner writes ({@link PlanConformance}); and every
 * step whose commands change stored data, judged from the commands themselves and not from the plan's
 * {@code migratesData} flag, must name an earlier backup step in {@code coveredBy}.
 */
final class PlanGuard {
    /** Commands that change no stored data: reading, rendering, images, plugins, pip, theme moves, checks, reindexing. */
    private static final List<Pattern> KEEPS_DATA = List.of(
            Pattern.compile("tutor config (printvalue|printroot|save)( .*)?"),
            Pattern.compile("tutor plugins (list|enable|disable)( .*)?"),
            Pattern.compile("tutor images (build|pull|push)( .*)?"),
            Pattern.compile("tutor (local|dev|k8s) stop"),
            Pattern.compile("tutor (local|dev|k8s) (run|exec) lms \\./manage\\.py lms check"),
            Pattern.compile("tutor (local|dev|k8s) (run|exec) cms \\./manage\\.py cms (reindex_course|reindex_studio)( --[a-z]+)*"),
            Pattern.compile("tutor (local|dev|k8s) (do )?alembic -c current"),
            Pattern.compile("tutor (local|dev|k8s) (do )?settheme [A-Za-z0-9._-]+"),
            Pattern.compile("(pip|pip3) install .*"),
            Pattern.compile("(mkdir|mv) .*"));

    private PlanGuard() {
    }

    /** @return whether running this command may change stored data */
    static boolean changesData(List<String> argv) {
        String line = String.join(" ", argv);
        return KEEPS_DATA.stream().noneMatch(p -> p.matcher(line).matches());
    }

    /** @return whether the step changes stored data, by its flag or by its commands */
    static boolean changesData(UpgradeStep step) {
        return step.migratesData() || step.commands().stream().anyMatch(PlanGuard::changesData);
    }

    /** @return one line per problem, each naming the step; empty when the plan may run */
    static List<String> problems(UpgradePlan plan, ReleaseCatalog catalog) {
        List<String> out = new ArrayList<>(PlanConformance.check(plan, catalog));
        Map<String, Integer> backups = new HashMap<>();
        List<UpgradeStep> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            UpgradeStep step = steps.get(i);
            if (step instanceof BackupStep) {
                backups.put(step.id(), i);
                continue;
            }
            if (!changesData(step)) {
                continue;
            }
            Optional<String> cover = step.coveredBy();
            if (cover.isEmpty()) {
                out.add(step.id() + ": changes stored data (" + first(step) + ") but names no backup step in coveredBy");
            } else if (!backups.containsKey(cover.get())) {
                out.add(step.id() + ": coveredBy names '" + cover.get() + "', which is not a backup step before it");
            }
        }
        return out;
    }

    private static String first(UpgradeStep step) {
        return step.commands().stream().filter(PlanGuard::changesData).findFirst().map(a -> String.join(" ", a))
                .orElse("flagged migratesData");
    }

    /** @return the ids of the backup steps of a plan */
    static Set<String> backupIds(UpgradePlan plan) {
        return Set.copyOf(plan.backups().stream().map(BackupStep::id).toList());
    }
}
