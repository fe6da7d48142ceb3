package io.arborist.core.plan;

import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.release.ActionKind;
import io.arborist.core.release.ActionPhase;
import io.arborist.core.release.Release;
import io.arborist.core.release.UpgradeAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The work a hop must do for the releases it leaves, as the catalog lists it ({@link Release#leaving()}): operator
 * migrations before the hop, datastore steps before the launch, reindexing after it, and on Kubernetes the datastore
 * steps {@code tutor k8s upgrade} only prints. Commands come from the catalog; their container part is built for the
 * installed Tutor ({@link TutorCli#inContainer}).
 */
final class DatastoreSteps {
    private DatastoreSteps() {
    }

    /** Adds a step for every manual action of the given phase among the releases being left. */
    static void manualActions(Draft d, List<Release> leaving, ActionPhase phase, Release prev, Release next, String backupId,
                              List<String> covered) {
        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.phase() != phase || a.kind() != ActionKind.MANUAL) {
                    continue;
                }
                String engine = next.datastores().search().engine();
                if (a.searchEngine().isPresent() && !a.searchEngine().get().equals(engine)) {
                    d.warnings.add("Leaving " + r.displayName() + " for " + next.displayName() + ": '" + a.id() + "' is not planned because it "
                            + "rebuilds " + a.searchEngine().get() + " indexes and " + next.displayName() + " runs " + engine
                            + ", whose indexes its init jobs create and fill.");
                    continue;
                }
                manualAction(d, a, prev, next, backupId, covered);
            }
        }
    }

    private static void manualAction(Draft d, UpgradeAction a, Release prev, Release next, String backupId, List<String> covered) {
        a.availableFrom().ifPresent(f -> {
            if (d.catalog.release(f).ordinal() > prev.ordinal()) {
                throw new PlanningException(ErrorKind.PLANNING, "'" + a.id() + "' must run on " + f.displayName()
                        + " or later but the hop leaves " + prev.displayName() + ": the catalog's stops are inconsistent.");
            }
        });
        StepKind kind = switch (a.phase()) {
            case BEFORE_HOP -> StepKind.MIGRATE;
            case BEFORE_LAUNCH -> StepKind.DATASTORE;
            default -> StepKind.REINDEX;
        };
        Release owner = a.phase() == ActionPhase.BEFORE_HOP ? prev : next;
        List<List<String>> cmds = expand(d, d.mode == DeploymentMode.K8S && a.k8sCommands().isPresent() ? a.k8sCommands().get() : a.commands());
        String why = a.summary() + " Source: " + a.source() + ".";
        Duration estimate = d.est.of(kind == StepKind.MIGRATE ? "migrate" : kind == StepKind.REINDEX ? "reindex" : "datastore");
        Optional<String> cover = a.migratesData() ? Optional.of(backupId) : Optional.empty();
        if (cmds.isEmpty()) {
            d.add(d.manual(owner, a.id(), kind).title(a.displayTitle())
                    .instruction(a.summary()).instruction("Tutor gives no " + d.mode.word() + " recipe for this; do the equivalent on "
                            + "your deployment and confirm.")
                    .rationale(why).estimate(estimate).rollback(a.rollback()).migratesData(a.migratesData(), cover).build());
        } else {
            d.add(d.command(owner, a.id(), kind).title(a.displayTitle()).commands(cmds).rationale(why).estimate(estimate)
                    .rollback(a.rollback()).migratesData(a.migratesData(), cover).build());
        }
        if (a.migratesData()) {
            covered.add(d.steps.get(d.steps.size() - 1).id());
        }
    }

    /**
     * A datastore step the installed Tutor does not run in this mode (on Kubernetes it only prints it; or its
     * {@code upgrade} does not accept the release being left): a manual step with the commands to run.
     */
    static void manualDatastore(Draft d, Release next, UpgradeAction a, String backupId, List<String> covered, String because) {
        List<List<String>> cmds;
        if (d.mode == DeploymentMode.K8S && a.k8sCommands().isPresent()) {
            cmds = expand(d, a.k8sCommands().get());
        } else if (a.kind() == ActionKind.MONGODB) {
            cmds = mongoFcv(d, a);
        } else {
            cmds = expand(d, a.commands());
        }
        String id = d.id(next, a.id());
        d.add(ManualStep.builder(id, StepKind.DATASTORE, next.name()).title(a.displayTitle())
                .instruction(a.summary()).instruction(because + " Run these commands in order and wait for each service to be ready.")
                .commands(cmds)
                .rationale("Skipping it leaves the datastore unable to start on the next release. Source: " + a.source() + ".")
                .estimate(d.est.of("datastore")).rollback(a.rollback()).migratesData(backupId).build());
        covered.add(id);
    }

    /**
     * MongoDB's one-major-at-a-time step as Tutor prints it on Kubernetes (tutor/commands/upgrade/k8s.py,
     * upgrade_mongodb): run the next image, raise featureCompatibilityVersion, drop the temporary image setting.
     */
    private static List<List<String>> mongoFcv(Draft d, UpgradeAction a) {
        UpgradeAction.MongoUpgrade mongo = a.mongo().orElseThrow();
        String command = "db.adminCommand({setFeatureCompatibilityVersion: \"" + mongo.featureCompatibility() + "\""
                + (mongo.confirm() ? ", confirm: true" : "") + "})";
        TutorCli cli = d.cli();
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(cli.stop());
        cmds.add(cli.configSave("--set", "DOCKER_IMAGE_MONGODB=" + mongo.imageFor(d.tutor)));
        cmds.add(cli.start());
        cmds.add(cli.inContainer(false, "mongodb", List.of(mongo.shell(), "--eval", command)));
        cmds.add(List.of("tutor", "config", "save", "--unset", "DOCKER_IMAGE_MONGODB"));
        return cmds;
    }

    /**
     * Expands the catalog's command templates: {@code {mode}} is the deployment word, a leading {@code {run:SERVICE}}
     * or {@code {exec:SERVICE}} runs the rest in a one-off or the running container of that service.
     */
    static List<List<String>> expand(Draft d, List<List<String>> templates) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> argv : templates) {
            String head = argv.get(0);
            if (head.startsWith("{run:") || head.startsWith("{exec:")) {
                String service = head.substring(head.indexOf(':') + 1, head.length() - 1);
                out.add(d.cli().inContainer(head.startsWith("{run:"), service, argv.subList(1, argv.size())));
            } else {
                out.add(argv.stream().map(t -> t.equals("{mode}") ? d.mode.word() : t).toList());
            }
        }
        return out;
    }

    static void advice(Draft d, List<Release> leaving, Release prev) {
        for (Release r : leaving) {
            for (UpgradeAction a : r.leaving()) {
                if (a.kind() != ActionKind.ADVICE) {
                    continue;
                }
                boolean satisfied = a.availableFrom().map(f -> d.catalog.release(f).ordinal() <= prev.ordinal() && prev == r).orElse(false);
                if (!satisfied) {
                    d.warnings.add("Leaving " + r.displayName() + ": " + a.summary() + " (" + a.source() + ")");
                }
            }
        }
    }
}
