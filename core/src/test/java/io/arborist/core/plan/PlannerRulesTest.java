package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.aspects;
import static io.arborist.core.plan.Plans.commandLines;
import static io.arborist.core.plan.Plans.hops;
import static io.arborist.core.plan.Plans.index;
import static io.arborist.core.plan.Plans.ofKind;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static io.arborist.core.plan.Plans.waypoints;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.aspects.AspectsVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerRulesTest {

    @Test
    void stepwise_visits_each_release_once_at_its_newest_tutor_point() {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));

        assertThat(hops(plan)).containsExactly("lilac", "maple", "nutmeg", "olive");
        assertThat(ofKind(plan, StepKind.INSTALL)).extracting(s -> s.commands().get(0).get(2))
                .containsExactly("tutor==12.2.0", "tutor[full]==13.3.1", "tutor[full]==14.2.3", "tutor[full]==15.3.7");
        assertThat(ofKind(plan, StepKind.CHECK)).extracting(UpgradeStep::rationale)
                .anySatisfy(r -> assertThat(r).contains("open-release/nutmeg.2"))
                .anySatisfy(r -> assertThat(r).contains("open-release/olive.4"));
    }

    @Test
    void seed_case_reports_naive_and_planned_builds() {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));

        PlanSummary s = plan.summary();
        assertThat(s.releasesCrossed()).isEqualTo(4);
        assertThat(s.naivePointReleases()).isEqualTo(12);
        assertThat(s.naiveImageBuilds()).isEqualTo(24);
        assertThat(s.naiveBuildTime()).isEqualTo(Duration.ofHours(3));
        assertThat(s.hops()).isEqualTo(4);
        assertThat(s.imageBuilds()).as("intermediate hops pull; only Olive builds openedx and mfe").isEqualTo(2);
        assertThat(s.imagePulls()).isEqualTo(3);
        assertThat(plan.toMarkdown()).contains("| Image builds | 2 | 24 |").contains("| Official images pulled instead | 3 | 0 |")
                .contains("| Image build hours | 0.3 h | 3.0 h |");
    }

    @Test
    void waypoints_jumps_with_one_upgrade_from_and_says_it_is_less_conservative() {
        UpgradePlan plan = waypoints(at("koa"), to("olive"));

        assertThat(hops(plan)).containsExactly("olive");
        UpgradeStep upgrade = ofKind(plan, StepKind.UPGRADE).get(0);
        assertThat(upgrade.commands()).containsExactly(List.of("tutor", "local", "upgrade", "--from=koa"));
        assertThat(upgrade.rationale()).contains("mongo:4.0.25").contains("compute_grades").contains("backfill");
        assertThat(plan.summary().imageBuilds()).isEqualTo(2);
        assertThat(plan.toMarkdown()).contains("less conservative");
    }

    @Test
    void config_save_precedes_build_and_upgrade_from_names_the_previous_release() {
        UpgradePlan plan = stepwise(at("nutmeg"), to("olive"));

        UpgradeStep save = ofKind(plan, StepKind.CONFIGURE).stream().filter(c -> c.id().endsWith("config-save")).findFirst().orElseThrow();
        UpgradeStep build = ofKind(plan, StepKind.BUILD_IMAGES).get(0);
        UpgradeStep upgrade = ofKind(plan, StepKind.UPGRADE).get(0);
        UpgradeStep launch = ofKind(plan, StepKind.LAUNCH).get(0);
        assertThat(index(plan, save)).isLessThan(index(plan, build));
        assertThat(index(plan, build)).isLessThan(index(plan, upgrade));
        assertThat(index(plan, upgrade)).isLessThan(index(plan, launch));
        assertThat(upgrade.commands()).containsExactly(List.of("tutor", "local", "upgrade", "--from=nutmeg"));
        assertThat(save.rationale()).as("the config-save trap is explained").contains("env/version").contains("--from=nutmeg");
        assertThat(launch.commands()).containsExactly(List.of("tutor", "local", "launch", "-I"));
    }

    @Test
    void hops_without_tutor_upgrade_work_have_no_upgrade_step() {
        UpgradePlan plan = stepwise(at("sumac"), to("teak"));

        assertThat(ofKind(plan, StepKind.UPGRADE)).isEmpty();
        assertThat(ofKind(plan, StepKind.LAUNCH).get(0).rationale()).contains("no release-specific upgrade step when leaving Sumac");
    }

    @Test
    void every_hop_has_a_backup_that_covers_upgrade_and_launch() {
        UpgradePlan plan = stepwise(at("olive"), to("palm"));

        BackupStep backup = plan.backups().get(0);
        UpgradeStep upgrade = ofKind(plan, StepKind.UPGRADE).get(0);
        UpgradeStep launch = ofKind(plan, StepKind.LAUNCH).get(0);
        assertThat(backup.covers()).containsExactly(upgrade.id(), launch.id());
        assertThat(upgrade.coveredBy()).contains(backup.id());
        assertThat(backup.targets()).contains(BackupTarget.MYSQL, BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT)
                .doesNotContain(BackupTarget.CLICKHOUSE);
        assertThat(backup.keepUntilPlanCompletes()).isTrue();
        assertThat(index(plan, backup)).isLessThan(index(plan, upgrade));
    }

    @Test
    void the_mysql_8_1_waypoint_is_tutor_18_2s_and_palm_moves_mysql_by_its_image() {
        UpgradePlan palm = stepwise(at("olive"), to("palm"));
        assertThat(ofKind(palm, StepKind.UPGRADE).get(0).rationale()).contains("mongo:4.2.17").contains("mongo:4.4.22").doesNotContain("8.1.0");
        assertThat(ofKind(palm, StepKind.LAUNCH).get(0).rationale()).contains("Tutor before 18.2.0 has no 8.1 intermediate step");

        UpgradePlan redwood = waypoints(at("olive"), to("redwood"));
        assertThat(ofKind(redwood, StepKind.UPGRADE).get(0).rationale()).contains("8.1.0").contains("8.4").contains("v18.2.0");
    }

    @Test
    void local_mode_leaves_datastore_steps_to_tutor_upgrade() {
        UpgradePlan plan = stepwise(at("quince"), to("redwood"));

        assertThat(ofKind(plan, StepKind.DATASTORE)).isEmpty();
        assertThat(ofKind(plan, StepKind.UPGRADE).get(0).rationale()).contains("5.0").contains("6.0").contains("7.0");
    }

    @Test
    void k8s_mongodb_steps_become_manual_steps_with_commands() {
        UpgradePlan plan = stepwise(at("quince").withMode(DeploymentMode.K8S), to("redwood"));

        List<UpgradeStep> manual = ofKind(plan, StepKind.DATASTORE);
        assertThat(manual).hasSize(3).allSatisfy(s -> {
            assertThat(s).isInstanceOf(ManualStep.class);
            assertThat(s.migratesData()).isTrue();
            assertThat(s.coveredBy()).isPresent();
        });
        assertThat(commandLines(manual.get(0))).contains("DOCKER_IMAGE_MONGODB=mongo:5.0.26").contains("tutor k8s exec mongodb mongo --eval")
                .doesNotContain("confirm");
        assertThat(commandLines(manual.get(1))).contains("mongosh").contains("\"6.0\"");
        assertThat(commandLines(manual.get(2))).contains("mongosh").contains("\"7.0\", confirm: true")
                .contains("tutor config save --unset DOCKER_IMAGE_MONGODB");
        UpgradeStep upgrade = ofKind(plan, StepKind.UPGRADE).get(0);
        assertThat(index(plan, upgrade)).isLessThan(index(plan, manual.get(0)));
        assertThat(upgrade.commands()).containsExactly(List.of("tutor", "k8s", "upgrade", "--from=quince"));
    }

    @Test
    void k8s_pushes_built_images_and_automated_mysql_needs_no_manual_step() {
        UpgradePlan plan = stepwise(at("olive").withMode(DeploymentMode.K8S), to("palm"));

        assertThat(ofKind(plan, StepKind.BUILD_IMAGES).get(0).commands())
                .containsExactly(List.of("tutor", "images", "build", "openedx", "mfe"), List.of("tutor", "images", "push", "openedx", "mfe"));
        assertThat(ofKind(plan, StepKind.DATASTORE)).extracting(UpgradeStep::title)
                .containsExactly("Upgrade MongoDB to 4.2", "Upgrade MongoDB to 4.4");
    }

    @Test
    void k8s_juniper_mysql_step_uses_placeholders_never_secret_values() {
        UpgradePlan plan = stepwise(at("juniper").withMode(DeploymentMode.K8S), to("koa"));

        UpgradeStep mysql = ofKind(plan, StepKind.DATASTORE).stream().filter(s -> s.title().contains("MySQL")).findFirst().orElseThrow();
        assertThat(mysql.commands()).as("Tutor 11's k8s exec takes one command string, run with sh -c in the pod, whose "
                + "environment has the password: no secret on any argv").containsExactly(List.of("tutor", "k8s", "start"),
                List.of("tutor", "k8s", "exec", "mysql", "sh -e -c 'mysql_upgrade -u root --password=\"$MYSQL_ROOT_PASSWORD\"'"));
        assertThat(plan.toJson()).doesNotContain("TUTOR_CONFIG:MYSQL_ROOT_PASSWORD");
    }

    @Test
    void forum_migration_runs_on_ulmo_before_verawood_when_stepwise() {
        UpgradePlan plan = stepwise(at("teak"), to("verawood"));

        UpgradeStep migrate = ofKind(plan, StepKind.MIGRATE).get(0);
        assertThat(migrate.release().value()).as("openedx/forum 0.4.3 removed the MongoDB backend after Ulmo shipped").isEqualTo("ulmo");
        assertThat(commandLines(migrate)).contains("forum_migrate_course_from_mongodb_to_mysql").contains("forum_v2.enable_mysql_backend");
        assertThat(migrate.rationale()).contains("openedx/forum@0.4.3");
        UpgradeStep verawoodInstall = ofKind(plan, StepKind.INSTALL).stream().filter(s -> s.release().value().equals("verawood")).findFirst().orElseThrow();
        assertThat(index(plan, migrate)).isLessThan(index(plan, verawoodInstall));
        assertThat(migrate.coveredBy()).isPresent();
    }

    @Test
    void waypoints_stop_on_the_last_release_with_the_forum_mongodb_backend() {
        UpgradePlan plan = waypoints(at("quince"), to("verawood"));

        assertThat(hops(plan)).containsExactly("ulmo", "verawood");
        assertThat(ofKind(plan, StepKind.MIGRATE)).singleElement().satisfies(s -> assertThat(s.release().value()).isEqualTo("ulmo"));
        assertThat(hops(waypoints(at("quince"), to("ulmo")))).containsExactly("ulmo");
    }

    @Test
    void no_forum_migration_when_the_path_does_not_leave_ulmo() {
        assertThat(ofKind(stepwise(at("redwood"), to("ulmo")), StepKind.MIGRATE)).isEmpty();
    }

    @Test
    void verawood_hop_wipes_meilisearch_data_before_launch_and_reindexes_after() {
        UpgradePlan plan = stepwise(at("ulmo"), to("verawood"));

        UpgradeStep wipe = ofKind(plan, StepKind.DATASTORE).get(0);
        UpgradeStep reindex = ofKind(plan, StepKind.REINDEX).get(0);
        UpgradeStep launch = ofKind(plan, StepKind.LAUNCH).get(0);
        assertThat(wipe.commands()).contains(List.of("rm", "-rf", "${TUTOR_ROOT}/data/meilisearch/data.ms"));
        assertThat(index(plan, wipe)).isLessThan(index(plan, launch));
        assertThat(index(plan, reindex)).isGreaterThan(index(plan, launch));
        assertThat(commandLines(reindex)).contains("reindex_studio").contains("reindex_course --active");
        assertThat(plan.backups().get(0).targets()).as("search indexes are rebuilt, not backed up").doesNotContain(BackupTarget.SEARCH_INDEX);
        assertThat(plan.backups().get(0).rationale()).contains("Search indexes (Elasticsearch, Meilisearch) are not backed up");
        assertThat(wipe.rollback()).hasValueSatisfying(r -> assertThat(r).contains("1.8.4"));
    }

    @Test
    void verawood_meilisearch_wipe_is_manual_on_k8s() {
        UpgradePlan plan = stepwise(at("ulmo").withMode(DeploymentMode.K8S), to("verawood"));

        assertThat(ofKind(plan, StepKind.DATASTORE)).singleElement().isInstanceOf(ManualStep.class)
                .satisfies(s -> assertThat(s.commands()).isEmpty());
    }

    @Test
    void theme_is_parked_then_built_only_in_the_last_hop_and_activated() {
        UpgradePlan plan = stepwise(at("koa").withCustomTheme("indigo-fork"), to("olive"));

        List<UpgradeStep> theme = ofKind(plan, StepKind.THEME);
        assertThat(theme).extracting(UpgradeStep::title)
                .containsExactly("Set the custom theme aside", "Put the custom theme back", "Activate the custom theme");
        List<UpgradeStep> builds = ofKind(plan, StepKind.BUILD_IMAGES);
        List<UpgradeStep> pulls = ofKind(plan, StepKind.PULL_IMAGES);
        assertThat(builds).singleElement().satisfies(b -> assertThat(b.release().value()).isEqualTo("olive"));
        assertThat(index(plan, theme.get(0))).isLessThan(index(plan, pulls.get(0)));
        assertThat(index(plan, theme.get(1))).isGreaterThan(index(plan, pulls.get(pulls.size() - 1)))
                .isLessThan(index(plan, builds.get(0)));
        assertThat(theme.get(2).commands()).containsExactly(List.of("tutor", "local", "do", "settheme", "indigo-fork"));
        assertThat(builds.get(0).rationale()).contains("last hop").contains("theme");
        assertThat(pulls).allSatisfy(p -> assertThat(p.rationale()).contains("the theme is set aside"));
    }

    @Test
    void settheme_without_do_on_tutor_before_15() {
        UpgradePlan plan = stepwise(at("koa").withCustomTheme("mine"), to("lilac"));

        assertThat(ofKind(plan, StepKind.THEME)).extracting(UpgradeStep::commands)
                .containsExactly(List.of(List.of("tutor", "local", "settheme", "mine")));
        assertThat(ofKind(plan, StepKind.LAUNCH).get(0).commands()).containsExactly(List.of("tutor", "local", "quickstart", "-I"));
    }

    @Test
    void unnamed_theme_gives_manual_theme_steps() {
        UpgradePlan plan = stepwise(at("maple").withCustomTheme(true), to("olive"));

        assertThat(ofKind(plan, StepKind.THEME)).hasSize(3).allSatisfy(s -> assertThat(s).isInstanceOf(ManualStep.class));
        assertThat(((ManualStep) ofKind(plan, StepKind.THEME).get(2)).instructions().get(0))
                .startsWith("Run 'tutor local do settheme <your-theme>'");
    }

    @Test
    void point_release_upgrade_within_a_release_is_one_hop_without_upgrade_from() {
        UpgradePlan plan = stepwise(at("koa.1"), to("koa.3"));

        assertThat(hops(plan)).containsExactly("koa");
        assertThat(ofKind(plan, StepKind.UPGRADE)).isEmpty();
        assertThat(ofKind(plan, StepKind.INSTALL).get(0).commands().get(0)).contains("tutor-openedx==11.3.1");
        assertThat(plan.summary().naivePointReleases()).isEqualTo(2);
    }

    @Test
    void older_target_point_installs_the_tutor_that_pinned_it() {
        UpgradePlan plan = stepwise(at("nutmeg"), to("olive.2"));

        assertThat(ofKind(plan, StepKind.INSTALL).get(0).commands().get(0)).contains("tutor[full]==15.3.3");
        assertThat(plan.to().release().point()).isEqualTo("2");
    }

    @Test
    void dev_mode_builds_the_development_image() {
        UpgradePlan plan = stepwise(at("teak").withMode(DeploymentMode.DEV), to("ulmo"));

        assertThat(ofKind(plan, StepKind.BUILD_IMAGES).get(0).commands().get(0)).containsExactly("tutor", "images", "build", "openedx-dev", "mfe");
        assertThat(ofKind(plan, StepKind.LAUNCH).get(0).commands().get(0)).containsExactly("tutor", "dev", "launch", "-I");
    }

    @Test
    void known_plugins_are_pinned_from_their_requirements_unknown_ones_to_the_tutor_major() {
        UpgradePlan plan = stepwise(at("teak").withPlugins(List.of("indigo", "tutor-contrib-xyz")), to("ulmo"));

        assertThat(ofKind(plan, StepKind.INSTALL).get(0).commands().get(0))
                .containsExactly("pip", "install", "tutor[full]==21.0.8", "tutor-indigo==21.1.3", "tutor-contrib-xyz>=21.0.0,<22.0.0");
        assertThat(ofKind(plan, StepKind.INSTALL).get(0).rationale()).contains("tutor-contrib-xyz is not in the plugin data");
    }

    @Test
    void lilac_hop_installs_and_enables_the_mfe_plugin_before_its_image_is_used() {
        UpgradePlan plan = stepwise(at("koa"), to("lilac"));

        assertThat(ofKind(plan, StepKind.INSTALL).get(0).commands().get(0))
                .as("tutor-mfe 12.0.0 and 12.0.1 require tutor-openedx, renamed tutor in 12.0.2")
                .containsExactly("pip", "install", "tutor==12.2.0", "tutor-mfe==12.1.0");
        UpgradeStep enable = ofKind(plan, StepKind.CONFIGURE).get(0);
        assertThat(enable.commands()).containsExactly(List.of("tutor", "plugins", "enable", "mfe"));
        UpgradeStep build = ofKind(plan, StepKind.BUILD_IMAGES).get(0);
        assertThat(build.commands()).containsExactly(List.of("tutor", "images", "build", "openedx", "mfe"));
        assertThat(index(plan, enable)).isLessThan(index(plan, build));
    }

    @Test
    void aspects_majors_are_upgraded_with_the_platform_hops_that_document_them() {
        UpgradePlan plan = stepwise(at("olive").withAspects(aspects("1.3.2")), to("ulmo").withAspects(AspectsVersion.parse("3.0.3")));

        List<String> installs = ofKind(plan, StepKind.INSTALL).stream().map(s -> String.join(" ", s.commands().get(0))).toList();
        assertThat(installs).containsExactly(
                "pip install tutor[full]==16.1.8 tutor-contrib-aspects==1.3.2",
                "pip install tutor[full]==17.0.6 tutor-contrib-aspects==1.3.2",
                "pip install tutor[full]==18.2.2 tutor-contrib-aspects==2.4.0",
                "pip install tutor[full]==19.0.5 tutor-contrib-aspects==2.4.0",
                "pip install tutor[full]==20.0.5 tutor-contrib-aspects==2.4.0",
                "pip install tutor[full]==21.0.8 tutor-contrib-aspects==3.0.3");
        assertThat(ofKind(plan, StepKind.INSTALL).get(2).rationale()).as("Aspects 2.x python_requires")
                .contains("Needs Python 3.11 or later on the host where pip runs").contains("tutor-contrib-aspects 2.4.0 >=3.11");
        assertThat(ofKind(plan, StepKind.ASPECTS_RENAMES)).singleElement().satisfies(s -> assertThat(s.release().value()).isEqualTo("redwood"));
        UpgradeStep ulmoLaunch = ofKind(plan, StepKind.LAUNCH).stream().filter(s -> s.release().value().equals("ulmo")).findFirst().orElseThrow();
        assertThat(ulmoLaunch.rationale()).contains("Aspects 3.0.3").contains("after the platform's own migrations");
        assertThat(ofKind(plan, StepKind.ASPECTS_CLEANUP)).extracting(s -> s.release().value()).containsExactly("redwood", "ulmo");
        assertThat(plan.to().aspects()).contains(AspectsVersion.parse("3.0.3"));
        assertThat(PlanConformance.check(plan, Plans.CATALOG)).isEmpty();
    }

    @Test
    void an_aspects_version_whose_requirements_exclude_the_installed_tutor_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stepwise(at("nutmeg").withAspects(aspects("1.0.0")), to("olive")))
                .isInstanceOf(io.arborist.core.PlanningException.class)
                .hasMessageContaining("Aspects 1.0.0 cannot be installed beside Tutor 14.2.3 (Nutmeg)")
                .hasMessageContaining("requires tutor>=15");
    }

    @Test
    void aspects_upgrade_follows_the_recipe_in_order() {
        UpgradePlan plan = stepwise(at("ulmo").withAspects(aspects("2.5.3")), to("ulmo").withAspects(AspectsVersion.parse("3.0.3")));

        assertThat(plan.steps()).extracting(UpgradeStep::kind).containsExactly(StepKind.PREPARE, StepKind.BACKUP, StepKind.INSTALL,
                StepKind.CONFIGURE, StepKind.BUILD_IMAGES, StepKind.ASPECTS_INIT, StepKind.ASPECTS_CLEANUP, StepKind.CHECK, StepKind.VERIFY);
        assertThat(plan.steps().get(2).commands()).containsExactly(List.of("pip", "install", "tutor-contrib-aspects==3.0.3"));
        assertThat(plan.steps().get(3).commands()).containsExactly(
                List.of("rm", "-rf", "${TUTOR_ROOT}/env/plugins/aspects/build/aspects-superset/openedx-assets/assets"),
                List.of("tutor", "config", "save"));
        assertThat(plan.steps().get(4).commands()).containsExactly(List.of("tutor", "images", "build", "openedx", "aspects", "aspects-superset", "--no-cache"));
        assertThat(plan.steps().get(5).commands()).containsExactly(List.of("tutor", "local", "do", "init", "-l", "aspects"));
        assertThat(plan.steps().get(6).commands()).containsExactly(
                List.of("tutor", "local", "do", "dbt", "-c", "run-operation remove_deprecated_models", "--only_changed", "False"));
        BackupStep backup = (BackupStep) plan.steps().get(1);
        assertThat(backup.targets()).contains(BackupTarget.CLICKHOUSE);
        assertThat(backup.covers()).containsExactly(plan.steps().get(5).id(), plan.steps().get(6).id());
    }

    @Test
    void in_context_metrics_rebuild_mfe_only_from_teak() {
        AspectsSetup withMetrics = new AspectsSetup(AspectsVersion.parse("2.4.0"), true);
        UpgradePlan onTeak = stepwise(at("teak").withAspects(withMetrics), to("teak").withAspects(AspectsVersion.parse("2.5.3")));
        UpgradePlan onSumac = stepwise(at("sumac").withAspects(withMetrics), to("sumac").withAspects(AspectsVersion.parse("2.5.3")));

        assertThat(ofKind(onTeak, StepKind.BUILD_IMAGES).get(0).commands().get(0)).contains("mfe");
        assertThat(ofKind(onSumac, StepKind.BUILD_IMAGES).get(0).commands().get(0)).doesNotContain("mfe");
    }

    @Test
    void crossing_aspects_2_5_adds_its_dbt_refresh_step() {
        UpgradePlan plan = stepwise(at("sumac").withAspects(aspects("2.4.0")), to("sumac").withAspects(AspectsVersion.parse("2.5.3")));

        assertThat(ofKind(plan, StepKind.ASPECTS_MIGRATE)).singleElement()
                .satisfies(s -> assertThat(commandLines(s)).contains("run --full-refresh --select dim_problem_responses+"));
    }

    @Test
    void aspects_1_to_2_lists_every_rename_before_init() {
        UpgradePlan plan = stepwise(at("redwood").withAspects(aspects("1.3.2")), to("redwood").withAspects(AspectsVersion.parse("2.4.0")));

        ManualStep renames = (ManualStep) ofKind(plan, StepKind.ASPECTS_RENAMES).get(0);
        assertThat(renames.instructions()).hasSize(31)
                .contains("event_sink.course_names -> event_sink.dim_course_names")
                .contains("reporting.fact_navigation -> DEPRECATED (no successor)");
        assertThat(index(plan, renames)).isLessThan(index(plan, ofKind(plan, StepKind.ASPECTS_INIT).get(0)));
    }

    @Test
    void default_aspects_target_is_the_newest_documented_for_the_target_release() {
        UpgradePlan plan = stepwise(at("quince").withAspects(aspects("1.3.2")), to("teak"));

        assertThat(plan.to().aspects()).contains(AspectsVersion.parse("2.5.3"));
        assertThat(Plans.aspectsUpgrades(plan)).last().isEqualTo("2.5.3");
    }

    @Test
    void platform_hops_keep_aspects_pinned() {
        UpgradePlan plan = stepwise(at("olive").withAspects(aspects("1.3.2")), to("quince").withAspects(AspectsVersion.parse("1.3.2")));

        assertThat(ofKind(plan, StepKind.INSTALL)).hasSize(2)
                .allSatisfy(s -> assertThat(s.commands().get(0)).contains("tutor-contrib-aspects==1.3.2"));
        assertThat(plan.backups()).allSatisfy(b -> assertThat(b.targets()).contains(BackupTarget.CLICKHOUSE));
        assertThat(plan.warnings()).noneSatisfy(w -> assertThat(w).contains("Aspects"));
    }

    @Test
    void aspects_outside_its_documented_range_is_warned_about() {
        UpgradePlan plan = stepwise(at("redwood").withAspects(aspects("1.3.2")), to("sumac"));

        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("1.3.2").contains("Nutmeg through Quince"));
    }

    @Test
    void known_datastore_versions_that_differ_from_defaults_are_warned_about() {
        UpgradePlan plan = stepwise(at("olive").withDatastore(io.arborist.core.release.Datastore.MYSQL, "8.0.35"), to("palm"));

        assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("mysql 8.0.35").contains("5.7.35"));
    }

    @Test
    void waypoints_that_skip_palm_warn_about_palm_4() {
        assertThat(waypoints(at("olive"), to("quince")).warnings()).anySatisfy(w -> assertThat(w).contains("palm.4"));
        assertThat(stepwise(at("olive"), to("quince")).warnings()).noneSatisfy(w -> assertThat(w).contains("palm.4"));
    }

    @Test
    void plan_ends_with_the_no_data_loss_verification_naming_every_backup() {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));

        ManualStep verify = (ManualStep) plan.steps().get(plan.steps().size() - 1);
        assertThat(verify.kind()).isEqualTo(StepKind.VERIFY);
        assertThat(String.join(" ", verify.instructions())).contains("certificates").contains("completion").contains("grades");
        plan.backups().forEach(b -> assertThat(String.join(" ", verify.instructions())).contains(b.id()));
    }

    @Test
    void string_planner_resolves_what_users_type() {
        UpgradePlan plan = Plans.PLANNER.plan("open-release/koa.3", "Olive");

        assertThat(plan.from().release().toString()).isEqualTo("koa.3");
        assertThat(plan.to().release().toString()).isEqualTo("olive.4");
    }
}
