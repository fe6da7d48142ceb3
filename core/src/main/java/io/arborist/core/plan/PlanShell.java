package io.arborist.core.plan;

import io.arborist.core.internal.Shell;
import java.util.List;
import java.util.Locale;

/**
 * The plan as a POSIX shell script. By default it only prints each command (a dry run); with
 * {@code ARBORIST_EXECUTE=1} it runs them, pausing at manual and backup steps. Configuration values are looked up
 * with {@code tutor config printvalue} at run time and never echoed.
 */
final class PlanShell {
    private PlanShell() {
    }

    /**
     * @param plan a plan
     * @return the script
     */
    public static String render(UpgradePlan plan) {
        StringBuilder sh = new StringBuilder();
        sh.append("#!/bin/sh\n");
        sh.append("# Arborist upgrade plan: ").append(plan.from().release()).append(" -> ").append(plan.to().release())
                .append(" (").append(plan.strategy().word()).append(", tutor ").append(plan.from().mode().word()).append(")\n");
        sh.append("# Dry run by default: commands are printed, not run. Run them with ARBORIST_EXECUTE=1 sh <this file>.\n");
        sh.append("# Prefer 'arborist run --plan plan.json' which journals progress and resumes after a failure.\n");
        sh.append("set -eu\n\n");
        sh.append("EXECUTE=\"${ARBORIST_EXECUTE:-0}\"\n");
        sh.append("cfg() { if [ \"$EXECUTE\" = 1 ]; then tutor config printvalue \"$1\"; else printf '<%s>' \"$1\"; fi; }\n");
        sh.append("if [ \"$EXECUTE\" = 1 ]; then TUTOR_ROOT=\"$(tutor config printroot)\"; else TUTOR_ROOT='<TUTOR_ROOT>'; fi\n");
        sh.append("step() { printf '\\n== %s\\n' \"$1\"; }\n");
        sh.append("run() { shown=\"$1\"; shift; printf '+ %s\\n' \"$shown\"; if [ \"$EXECUTE\" = 1 ]; then \"$@\"; fi; }\n");
        sh.append("pause() { printf '%s\\n' \"$1\"; if [ \"$EXECUTE\" = 1 ]; then printf 'Press Enter when done: '; read -r _; fi; }\n\n");
        int n = 1;
        for (UpgradeStep step : plan.steps()) {
            sh.append("step ").append(single(n++ + "/" + plan.steps().size() + " " + step.title() + " [" + step.kind() + ", "
                    + step.id() + "]")).append("\n");
            if (step instanceof BackupStep b) {
                sh.append("pause ").append(single("BACKUP: save " + String.join(", ", b.targets().stream()
                        .map(t -> t.name().toLowerCase(Locale.ROOT)).toList()) + " (for example with 'arborist backup'); keep until the end."))
                        .append("\n");
                continue;
            }
            boolean manual = step instanceof ManualStep;
            if (manual) {
                for (String item : ((ManualStep) step).instructions()) {
                    sh.append("printf '%s\\n' ").append(single("  - " + item)).append("\n");
                }
            }
            for (List<String> argv : step.commands()) {
                if (manual) {
                    sh.append("printf '  $ %s\\n' ").append(single(Shell.preview(argv))).append("\n");
                } else {
                    sh.append("run ").append(single(Shell.preview(argv))).append(" ").append(Shell.script(argv)).append("\n");
                }
            }
            if (manual) {
                sh.append("pause ").append(single("MANUAL: do the above (commands are suggestions), then continue.")).append("\n");
            }
        }
        sh.append("\nprintf '\\nAll ").append(plan.steps().size()).append(" steps done.\\n'\n");
        return sh.toString();
    }

    private static String single(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
