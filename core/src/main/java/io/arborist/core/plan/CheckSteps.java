package io.arborist.core.plan;

import io.arborist.core.release.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The read-only steps: the preparation checklist, the check after each hop, the final no-data-loss confirmation. */
final class CheckSteps {
    /**
     * Settings the preparation step prints, each as its names newest first: Tutor 11 renamed {@code ACTIVATE_*} to
     * {@code RUN_*} and {@code ACTIVATE_HTTPS} to {@code ENABLE_HTTPS} (overhangio/tutor CHANGELOG v11.0.0); the name
     * printed is the one the installed Tutor's configuration defines (extracted defaults, see {@code TutorGrammar}).
     */
    private static final List<List<String>> SETTINGS = List.of(List.of("LMS_HOST"), List.of("CMS_HOST"),
            List.of("ENABLE_HTTPS", "ACTIVATE_HTTPS"), List.of("SMTP_HOST"), List.of("SMTP_PORT"),
            List.of("RUN_MYSQL", "ACTIVATE_MYSQL"), List.of("MYSQL_HOST"), List.of("RUN_MONGODB", "ACTIVATE_MONGODB"),
            List.of("MONGODB_HOST"));

    private CheckSteps() {
    }

    static void prepare(Draft d, List<Release> crossed, Release target) {
        Release current = d.release;
        List<String> items = new ArrayList<>();
        items.add("Read the release notes of every release on the way: " + (crossed.size() == 1 ? target.displayName()
                : crossed.stream().skip(1).map(Release::displayName).collect(Collectors.joining(", "))) + ".");
        for (Release r : crossed.subList(1, crossed.size())) {
            r.notes().forEach(n -> items.add(r.displayName() + ": " + n));
        }
        items.add("Check the SMTP settings (SMTP_HOST, SMTP_PORT, SMTP_USE_TLS, SMTP_USE_SSL, SMTP_USERNAME): a mismatch breaks tests and sends you the wrong way.");
        items.add("Check the database settings (RUN_MYSQL, MYSQL_HOST, MYSQL_PORT, RUN_MONGODB, MONGODB_HOST; ACTIVATE_* before Tutor 11): with an external database, every datastore step below is yours to run.");
        items.add("Check the domain names (LMS_HOST, CMS_HOST, ENABLE_HTTPS) and their DNS records.");
        items.add("List the feature switches you turned on or off (FEATURES patches, waffle flags and switches) and re-check them after each hop.");
        items.add("List the installed plugins (tutor plugins list) and find a version of each for every Tutor major on the way.");
        items.add("Free disk space for image builds and backups (a MongoDB restore needs about three times the database size).");
        items.add("Rehearse the whole plan on a staging copy first; keep this to-do list in the change ticket.");
        TutorCli cli = d.cli();
        List<List<String>> cmds = new ArrayList<>();
        for (List<String> names : SETTINGS) {
            cli.printValue(names).ifPresent(cmds::add);
        }
        cmds.add(cli.pluginsList());
        d.add(d.manual(current, "prepare", StepKind.PREPARE).title("Prepare: record settings and read release notes")
                .instructions(items).commands(cmds)
                .rationale(Draft.SEED + ": prepare a to-do list first; check SMTP, database, domain and feature-switch settings, since an "
                        + "incompatible setting causes errors in tests and progress in the wrong direction. The settings are "
                        + "printed under the names Tutor " + d.tutor + " uses.")
                .estimate(d.est.of("prepare")).build());
    }

    static void hop(Draft d, Release next, String tag) {
        TutorCli cli = d.cli();
        CommandStep.Builder b = d.command(next, "check", StepKind.CHECK).title("Check " + next.displayName());
        String expect;
        if (cli.printValue("OPENEDX_COMMON_VERSION").isPresent()) {
            b.command(cli.printValue("OPENEDX_COMMON_VERSION").get());
            expect = "Expect OPENEDX_COMMON_VERSION to be " + tag + " and ";
        } else {
            expect = "Tutor " + d.tutor + " has no OPENEDX_COMMON_VERSION setting (the version is in its Dockerfile); expect ";
        }
        b.command(cli.inContainer(true, "lms", List.of("./manage.py", "lms", "check")));
        d.add(b.rationale(expect + "Django's system check to pass before the next step (one hop at a time, each verified: "
                + Draft.SEED + ").").estimate(d.est.of("check")).build());
    }

    static void verify(Draft d, Release target) {
        List<String> backups = d.steps.stream().filter(s -> s instanceof BackupStep).map(UpgradeStep::id).toList();
        d.add(d.manual(target, "verify", StepKind.VERIFY).title("Confirm no data was lost")
                .instruction("Compare before and after: certificates learners are entitled to (per course and status), course completion "
                        + "rates, persistent grades and passes, enrollments per course and mode (arborist snapshot, then compare).")
                .instruction("Open a sample of courses in the LMS and Studio: course content must still render and grade.")
                .instruction("Keep the backups (" + String.join(", ", backups) + ") until test and live environments have both passed; "
                        + "then decide what to prune.")
                .rationale(Draft.SEED + ": before delivery, the certificates users are entitled to, the course completion rates and the "
                        + "compatibility of the course contents are checked first.")
                .estimate(d.est.of("verify")).build());
    }
}
