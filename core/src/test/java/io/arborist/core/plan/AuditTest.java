package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.commandLines;
import static io.arborist.core.plan.Plans.hops;
import static io.arborist.core.plan.Plans.index;
import static io.arborist.core.plan.Plans.ofKind;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static io.arborist.core.plan.Plans.waypoints;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per finding of the audit of the commands plans emitted against overhangio/tutor at each hop's tag (issue
 * 10). Each asserts the fixed command and that it passes the grammar extracted from that tag.
 */
class AuditTest {
    private static void conforms(UpgradePlan plan) {
        assertThat(PlanConformance.check(plan, Plans.CATALOG)).as(plan.toString()).isEmpty();
    }

    private static List<String> lines(UpgradePlan plan) {
        return plan.steps().stream().flatMap(s -> s.commands().stream()).map(a -> String.join(" ", a)).toList();
    }

    @Test
    void the_mfe_plugin_is_enabled_before_its_image_is_built_on_waypoints_from_koa() {
        UpgradePlan plan = waypoints(at("koa"), to("olive"));
        List<String> lines = lines(plan);
        assertThat(lines).contains("tutor plugins enable mfe", "tutor images build openedx mfe");
        assertThat(lines.indexOf("tutor plugins enable mfe")).isLessThan(lines.indexOf("tutor images build openedx mfe"));
        conforms(plan);
    }

    @Test
    void k8s_on_tutor_11_never_runs_upgrade_from_juniper() {
        UpgradePlan plan = stepwise(at("juniper").withMode(DeploymentMode.K8S), to("koa"));
        assertThat(lines(plan)).noneMatch(l -> l.contains("upgrade --from=juniper"));
        assertThat(ofKind(plan, StepKind.DATASTORE)).singleElement().satisfies(s -> {
            assertThat(s).isInstanceOf(ManualStep.class);
            assertThat(((ManualStep) s).instructions().get(1)).contains("does not accept --from=juniper");
            assertThat(commandLines(s)).contains("mysql_upgrade");
        });
        conforms(plan);
    }

    @Test
    void k8s_exec_on_tutor_10_to_12_gets_one_command_string() {
        UpgradePlan plan = stepwise(at("koa").withMode(DeploymentMode.K8S), to("lilac"));
        assertThat(ofKind(plan, StepKind.CHECK).get(0).commands()).contains(List.of("tutor", "k8s", "exec", "lms", "./manage.py lms check"));
        assertThat(ofKind(plan, StepKind.REINDEX).get(0).commands())
                .containsExactly(List.of("tutor", "k8s", "exec", "cms", "./manage.py cms reindex_course --all --setup"));
        UpgradePlan maple = stepwise(at("lilac").withMode(DeploymentMode.K8S), to("maple"));
        assertThat(ofKind(maple, StepKind.CHECK).get(0).commands())
                .as("from 13 exec takes the command as separate arguments")
                .contains(List.of("tutor", "k8s", "exec", "lms", "./manage.py", "lms", "check"));
        conforms(plan);
        conforms(maple);
    }

    @Test
    void upgrade_from_koa_on_tutor_10_to_12_is_non_interactive() {
        UpgradePlan plan = stepwise(at("koa"), to("lilac"));
        assertThat(ofKind(plan, StepKind.UPGRADE).get(0).commands()).containsExactly(List.of("tutor", "local", "upgrade", "--from=koa", "-I"));
        assertThat(ofKind(stepwise(at("lilac"), to("maple")), StepKind.UPGRADE).get(0).commands())
                .as("Tutor 13's upgrade does not ask").containsExactly(List.of("tutor", "local", "upgrade", "--from=lilac"));
        conforms(plan);
    }

    @Test
    void waypoints_from_mysql_5_6_stop_on_a_mysql_5_7_release() {
        UpgradePlan plan = waypoints(at("ironwood"), to("palm"));
        assertThat(hops(plan)).containsExactly("olive", "palm");
        assertThat(hops(waypoints(at("juniper"), to("redwood")))).containsExactly("olive", "redwood");
        conforms(plan);
    }

    @Test
    void dev_mode_uses_only_commands_the_dev_group_has() {
        UpgradePlan plan = stepwise(at("koa").withMode(DeploymentMode.DEV), to("lilac"));
        List<String> lines = lines(plan);
        assertThat(lines).noneMatch(l -> l.startsWith("tutor dev upgrade")).noneMatch(l -> l.startsWith("tutor dev quickstart"))
                .contains("tutor dev stop", "tutor local upgrade --from=koa -I", "tutor dev start --detach", "tutor dev init");
        UpgradePlan maple = stepwise(at("lilac").withMode(DeploymentMode.DEV), to("maple"));
        assertThat(lines(maple)).contains("tutor dev quickstart -I").noneMatch(l -> l.startsWith("tutor dev upgrade"));
        UpgradePlan palm = stepwise(at("olive").withMode(DeploymentMode.DEV), to("palm"));
        assertThat(lines(palm)).contains("tutor dev upgrade --from=olive", "tutor dev launch -I");
        conforms(plan);
        conforms(maple);
        conforms(palm);
    }

    @Test
    void redwood_hop_on_k8s_prints_mongo_7_0_7_which_tutor_18_uses() {
        UpgradePlan redwood = stepwise(at("quince").withMode(DeploymentMode.K8S), to("redwood"));
        assertThat(commandLines(ofKind(redwood, StepKind.DATASTORE).get(2))).contains("DOCKER_IMAGE_MONGODB=mongo:7.0.7");
        UpgradePlan teak = waypoints(at("quince").withMode(DeploymentMode.K8S), to("teak"));
        assertThat(ofKind(teak, StepKind.DATASTORE)).anySatisfy(s -> assertThat(commandLines(s)).contains("DOCKER_IMAGE_MONGODB=mongo:7.0.28"));
    }

    @Test
    void ironwood_prepare_prints_the_activate_settings_tutor_3_defines() {
        UpgradePlan plan = stepwise(at("ironwood"), to("juniper"));
        assertThat(ofKind(plan, StepKind.PREPARE).get(0).commands())
                .contains(List.of("tutor", "config", "printvalue", "ACTIVATE_HTTPS"), List.of("tutor", "config", "printvalue", "ACTIVATE_MYSQL"))
                .doesNotContain(List.of("tutor", "config", "printvalue", "ENABLE_HTTPS"), List.of("tutor", "config", "printvalue", "RUN_MYSQL"));
        conforms(plan);
    }

    @Test
    void no_elasticsearch_reindex_on_a_meilisearch_landing() {
        UpgradePlan plan = waypoints(at("koa"), to("sumac"));
        assertThat(ofKind(plan, StepKind.REINDEX)).isEmpty();
        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("search-reindex-es7").contains("meilisearch"));
    }

    @Test
    void hops_without_an_upgrade_step_do_not_claim_one() {
        UpgradePlan plan = stepwise(at("sumac"), to("teak"));
        UpgradeStep save = plan.steps().stream().filter(s -> s.id().endsWith("config-save")).findFirst().orElseThrow();
        assertThat(save.rationale()).doesNotContain("runs 'upgrade --from").contains("needs no such step");
    }

    @Test
    void the_ironwood_hop_starts_from_the_ironwood_master_branch_tutor_3_12_6_builds() {
        UpgradePlan plan = stepwise(at("ironwood"), to("juniper"));
        assertThat(plan.from().release().toString()).isEqualTo("ironwood.master");
        assertThat(index(plan, ofKind(plan, StepKind.INSTALL).get(0))).isPositive();
    }
}
