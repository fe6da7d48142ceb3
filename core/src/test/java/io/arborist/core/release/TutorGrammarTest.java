package io.arborist.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Facts checked against overhangio/tutor and its plugins at the tags named in each test (the bundled data is
 * extracted from them by scripts/extract-tutor-grammar).
 */
class TutorGrammarTest {
    private static final TutorGrammar GRAMMAR = TutorGrammar.bundled();

    private static List<String> check(String tutor, Map<String, String> plugins, String... argv) {
        return GRAMMAR.check(TutorVersion.parse(tutor), plugins, List.of(argv));
    }

    private static List<String> check(String tutor, String... argv) {
        return check(tutor, Map.of(), argv);
    }

    @Nested
    class Versions {
        @Test
        void everyTagFromThreeToTwentyOneAndTheVerawoodBranch() {
            assertThat(GRAMMAR.versions()).hasSize(229)
                    .contains(TutorVersion.parse("3.0.0"), TutorVersion.parse("3.12.6"), TutorVersion.parse("12.2.0"),
                            TutorVersion.parse("21.0.8"), TutorVersion.parse("22.0.0"));
            TutorFacts verawood = GRAMMAR.facts(TutorVersion.parse("22.0.0")).orElseThrow();
            assertThat(verawood.branch()).isTrue();
            assertThat(verawood.ref()).isEqualTo("verawood");
            assertThat(GRAMMAR.facts(TutorVersion.parse("21.0.8")).orElseThrow().ref()).isEqualTo("v21.0.8");
        }

        @Test
        void everyTutorPinOfTheBundledCatalogHasAGrammar() {
            List<String> missing = new ArrayList<>();
            for (Release release : ReleaseCatalog.bundled().releases()) {
                if (GRAMMAR.facts(release.tutor().pin()).isEmpty()) {
                    missing.add(release.name() + " pins Tutor " + release.tutor().pin());
                }
                for (PointRelease point : release.points()) {
                    for (TutorVersion v : point.firstTutor().stream().toList()) {
                        if (GRAMMAR.facts(v).isEmpty()) {
                            missing.add(release.name() + "." + point.name() + " first Tutor " + v);
                        }
                    }
                    for (TutorVersion v : point.lastTutor().stream().toList()) {
                        if (GRAMMAR.facts(v).isEmpty()) {
                            missing.add(release.name() + "." + point.name() + " last Tutor " + v);
                        }
                    }
                }
            }
            assertThat(missing).isEmpty();
        }

        @Test
        void unknownVersionIsOneProblemNamingTheNearestKnownOnes() {
            assertThat(check("12.2.1", "tutor", "local", "quickstart", "-I")).containsExactly(
                    "Tutor 12.2.1 is not in the bundled grammar (nearest known: 12.2.0, 13.0.0): the command cannot be checked");
            assertThat(check("23.0.0", "tutor", "local", "launch")).singleElement().asString()
                    .contains("nearest known: 22.0.0");
        }

        @Test
        void packageFactsComeFromSetupAndPyproject() {
            TutorFacts koa = GRAMMAR.facts(TutorVersion.parse("11.3.1")).orElseThrow();
            assertThat(koa.pipPackage()).isEqualTo("tutor-openedx");
            assertThat(koa.pythonRequires()).isEqualTo(">=3.5");
            assertThat(koa.fullExtra()).isEmpty();
            TutorFacts lilac = GRAMMAR.facts(TutorVersion.parse("12.2.0")).orElseThrow();
            assertThat(lilac.pipPackage()).isEqualTo("tutor");
            TutorFacts ulmo = GRAMMAR.facts(TutorVersion.parse("21.0.8")).orElseThrow();
            assertThat(ulmo.pythonRequires()).isEqualTo(">= 3.9");
            assertThat(ulmo.fullExtra()).contains("tutor-mfe>=21.0.0,<22.0.0", "tutor-forum>=21.0.0,<22.0.0");
            assertThat(ulmo.sources().get("package")).contains("pyproject.toml", "requirements/plugins.txt");
            assertThat(GRAMMAR.facts(TutorVersion.parse("22.0.0")).orElseThrow().pythonRequires()).isEqualTo(">= 3.10");
        }

        @Test
        void upgradeFromChoicesPerModeWithTheirSource() {
            TutorFacts koa = GRAMMAR.facts(TutorVersion.parse("11.3.1")).orElseThrow();
            assertThat(koa.upgradeFrom()).containsEntry("k8s", List.of("ironwood"))
                    .containsEntry("local", List.of("ironwood", "juniper")).doesNotContainKey("dev");
            assertThat(koa.sources()).containsEntry("upgradeFrom.k8s", "tutor/commands/k8s.py");
            assertThat(GRAMMAR.facts(TutorVersion.parse("16.0.0")).orElseThrow().upgradeFrom()).containsKey("dev");
        }

        @Test
        void coreImagesAndWhetherUnknownNamesFail() {
            TutorFacts lilac = GRAMMAR.facts(TutorVersion.parse("12.2.0")).orElseThrow();
            assertThat(lilac.buildImages()).containsExactlyInAnyOrder("openedx", "forum", "openedx-dev");
            assertThat(lilac.unknownImageFails()).isTrue();
            assertThat(GRAMMAR.facts(TutorVersion.parse("12.1.7")).orElseThrow().unknownImageFails()).isFalse();
            TutorFacts ulmo = GRAMMAR.facts(TutorVersion.parse("21.0.8")).orElseThrow();
            assertThat(ulmo.buildImages()).containsExactlyInAnyOrder("openedx", "openedx-dev", "permissions");
            assertThat(ulmo.pullImages()).contains("meilisearch", "mysql", "mongodb").doesNotContain("elasticsearch");
        }

        @Test
        void doJobsExistFromFifteen() {
            assertThat(GRAMMAR.facts(TutorVersion.parse("14.2.3")).orElseThrow().doJobs()).isEmpty();
            assertThat(GRAMMAR.facts(TutorVersion.parse("15.0.0")).orElseThrow().doJobs())
                    .containsExactlyInAnyOrder("createuser", "importdemocourse", "init", "settheme");
            assertThat(GRAMMAR.commands(TutorVersion.parse("21.0.8"), List.of("local", "do")))
                    .contains("init", "createuser", "update-mysql-authentication-plugin");
        }
    }

    @Nested
    class AuditItems {
        @Test
        void k8sUpgradeOnTutorElevenAcceptsOnlyIronwood() {
            assertThat(check("11.3.1", "tutor", "k8s", "upgrade", "--from=juniper"))
                    .containsExactly("Tutor 11.3.1: 'k8s upgrade --from' accepts ironwood, not juniper");
            assertThat(check("11.3.1", "tutor", "k8s", "upgrade", "--from=ironwood")).isEmpty();
            assertThat(check("11.3.1", "tutor", "k8s", "upgrade", "--from", "ironwood")).isEmpty();
            assertThat(check("11.3.1", "tutor", "local", "upgrade", "--from=juniper", "-I")).isEmpty();
        }

        @Test
        void k8sExecOnTutorTwelveTakesOneCommandString() {
            assertThat(check("12.2.0", "tutor", "k8s", "exec", "lms", "./manage.py", "lms", "check"))
                    .containsExactly("Tutor 12.2.0: 'k8s exec': unexpected extra arguments (lms check)");
            assertThat(check("12.2.0", "tutor", "k8s", "exec", "lms", "./manage.py lms check")).isEmpty();
            // From Tutor 13, k8s exec forwards any number of arguments.
            assertThat(check("13.3.1", "tutor", "k8s", "exec", "lms", "./manage.py", "lms", "check")).isEmpty();
        }

        @Test
        void localUpgradeOnTutorTenToTwelveAsksUnlessNonInteractive() {
            assertThat(check("12.2.0", "tutor", "local", "upgrade", "--from=koa")).containsExactly(
                    "Tutor 12.2.0: 'local upgrade' asks for confirmation; add -I (--non-interactive) "
                            + "(the executor runs with stdin closed)");
            assertThat(check("12.2.0", "tutor", "local", "upgrade", "--from=koa", "-I")).isEmpty();
            assertThat(check("11.3.1", "tutor", "local", "upgrade", "--non-interactive", "--from", "ironwood")).isEmpty();
            assertThat(check("10.5.4", "tutor", "local", "upgrade", "--from=ironwood")).singleElement().asString()
                    .contains("asks for confirmation; add -I");
        }

        @Test
        void devUpgradeFromSixteenDevQuickstartFromThirteen() {
            assertThat(check("15.3.7", "tutor", "dev", "upgrade", "--from=nutmeg"))
                    .containsExactly("Tutor 15.3.7: 'dev' has no command 'upgrade'");
            assertThat(check("16.1.8", "tutor", "dev", "upgrade", "--from=olive")).isEmpty();
            assertThat(check("12.2.0", "tutor", "dev", "quickstart", "-I"))
                    .containsExactly("Tutor 12.2.0: 'dev' has no command 'quickstart'");
            assertThat(check("13.3.1", "tutor", "dev", "quickstart", "-I")).isEmpty();
            assertThat(check("13.3.1", "tutor", "dev", "quickstart")).singleElement().asString()
                    .contains("asks for confirmation; add -I");
        }

        @Test
        void mfeImageNeedsTheMfePluginEnabled() {
            assertThat(check("12.2.0", "tutor", "images", "build", "openedx", "mfe")).singleElement().asString()
                    .startsWith("Tutor 12.2.0: 'images build' does not know image 'mfe' (core: forum, openedx, openedx-dev")
                    .contains("Image 'mfe' could not be found").contains("plugin mfe provides it once enabled");
            assertThat(check("12.2.0", Map.of("mfe", "12.1.0"), "tutor", "images", "build", "openedx", "mfe")).isEmpty();
            assertThat(check("13.3.1", Map.of("mfe", "13.0.6"), "tutor", "images", "build", "openedx", "mfe")).isEmpty();
            // Before 12.2.0 an unknown image was skipped without an error: still a problem, said differently.
            assertThat(check("12.1.7", "tutor", "images", "build", "mfe")).singleElement().asString()
                    .contains("Tutor would skip it silently");
        }

        @Test
        void doInitLimitAspectsNeedsTutorFifteenAndTheAspectsPlugin() {
            assertThat(check("14.2.3", "tutor", "local", "do", "init", "-l", "aspects"))
                    .containsExactly("Tutor 14.2.3: 'local' has no command 'do'");
            assertThat(check("15.3.7", "tutor", "local", "do", "init", "-l", "aspects")).containsExactly(
                    "Tutor 15.3.7: 'local do init --limit' names aspects, which is neither a core service "
                            + "(cms, lms, mysql) nor an enabled plugin: nothing would be initialised");
            assertThat(check("15.3.7", Map.of("aspects", "1.0.0"), "tutor", "local", "do", "init", "-l", "aspects"))
                    .isEmpty();
            assertThat(check("14.2.3", "tutor", "local", "init", "--limit=mysql")).isEmpty();
        }

        @Test
        void printvalueKeysAreActivateOnTutorThreeAndTenRunFromEleven() {
            assertThat(check("10.5.4", "tutor", "config", "printvalue", "RUN_MYSQL")).containsExactly(
                    "Tutor 10.5.4: 'config printvalue' key RUN_MYSQL is not defined by Tutor 10.5.4 "
                            + "(did you mean ACTIVATE_MYSQL?)");
            assertThat(check("10.5.4", "tutor", "config", "printvalue", "ACTIVATE_HTTPS")).isEmpty();
            assertThat(check("3.12.6", "tutor", "config", "printvalue", "ENABLE_HTTPS")).singleElement().asString()
                    .contains("did you mean ACTIVATE_HTTPS?");
            assertThat(check("11.3.1", "tutor", "config", "printvalue", "RUN_MYSQL")).isEmpty();
            // Tutor 11 (templates/config.yml) already has ENABLE_HTTPS beside RUN_*.
            assertThat(check("11.3.1", "tutor", "config", "printvalue", "ENABLE_HTTPS")).isEmpty();
            assertThat(check("11.3.1", "tutor", "config", "printvalue", "ACTIVATE_HTTPS")).singleElement().asString()
                    .contains("did you mean ENABLE_HTTPS?");
        }

        @Test
        void pluginConfigKeysCountOnlyWhenThePluginIsEnabled() {
            assertThat(check("21.0.8", "tutor", "config", "printvalue", "MFE_HOST")).hasSize(1);
            assertThat(check("21.0.8", Map.of("mfe", "21.0.0"), "tutor", "config", "printvalue", "MFE_HOST")).isEmpty();
            assertThat(GRAMMAR.configKeys(TutorVersion.parse("21.0.8"), Map.of("aspects", "2.4.0")))
                    .contains("ASPECTS_VERSION", "RUN_CLICKHOUSE", "MYSQL_HOST");
        }
    }

    @Nested
    class Plugins {
        @Test
        void aspectsDoJobsNeedTheAspectsPlugin() {
            List<String> argv = List.of("tutor", "local", "do", "dbt", "-c", "run-operation remove_deprecated_models",
                    "--only_changed", "False");
            assertThat(GRAMMAR.check(TutorVersion.parse("21.0.8"), Map.of(), argv)).singleElement().asString()
                    .isEqualTo("Tutor 21.0.8: 'local do' has no job 'dbt' in core Tutor (no known plugin enabled); "
                            + "provided by plugin aspects once enabled");
            assertThat(GRAMMAR.check(TutorVersion.parse("21.0.8"), Map.of("aspects", "2.4.0"), argv)).isEmpty();
            assertThat(check("21.0.8", Map.of("aspects", "2.4.0"), "tutor", "local", "do", "alembic", "--bogus"))
                    .containsExactly("Tutor 21.0.8: 'local do alembic': unexpected extra argument (--bogus)");
            assertThat(check("21.0.8", Map.of("aspects", "2.4.0"), "tutor", "local", "do", "alembic", "-c", "current"))
                    .isEmpty();
        }

        @Test
        void aspectsImagesComeFromThePlugin() {
            assertThat(check("18.2.2", Map.of("aspects", "1.0.0"), "tutor", "images", "build", "openedx", "aspects",
                    "aspects-superset", "--no-cache")).isEmpty();
            assertThat(check("18.2.2", "tutor", "images", "build", "aspects")).hasSize(1);
        }

        @Test
        void unknownVersionOfAKnownPluginIsAProblem() {
            assertThat(check("21.0.8", Map.of("aspects", "9.9.9"), "tutor", "local", "do", "dbt")).singleElement()
                    .asString().startsWith("Tutor 21.0.8: plugin aspects 9.9.9 is not in the bundled plugin data");
        }

        @Test
        void pluginWithoutDataIsAllowedButWhatItAddsIsNotVerified() {
            assertThat(check("21.0.8", Map.of("notes", "21.0.0"), "tutor", "local", "launch", "-I")).isEmpty();
            assertThat(check("21.0.8", Map.of("notes", "21.0.0"), "tutor", "local", "do", "notes-job"))
                    .singleElement().asString().contains("no bundled data for notes");
        }

        @Test
        void topLevelPluginCommands() {
            assertThat(check("21.0.8", Map.of("aspects", "2.4.0"), "tutor", "aspects", "check_superset_assets")).isEmpty();
            assertThat(check("21.0.8", "tutor", "aspects", "check_superset_assets")).singleElement().asString()
                    .startsWith("Tutor 21.0.8: 'tutor' has no command 'aspects' in core Tutor");
        }
    }

    @Nested
    class ClickParsing {
        @Test
        void commandMustStartWithTutor() {
            assertThat(check("21.0.8", "pip", "install", "tutor")).singleElement().asString()
                    .contains("must start with 'tutor'");
        }

        @Test
        void groupNeedsACommand() {
            assertThat(check("21.0.8", "tutor", "local")).singleElement().asString()
                    .startsWith("Tutor 21.0.8: 'local' needs a command (one of ").contains("launch");
        }

        @Test
        void unknownOptionsAndMissingValues() {
            assertThat(check("21.0.8", "tutor", "local", "launch", "--yes"))
                    .containsExactly("Tutor 21.0.8: 'local launch': no such option --yes");
            assertThat(check("21.0.8", "tutor", "local", "launch", "-Iz"))
                    .containsExactly("Tutor 21.0.8: 'local launch': no such option -z");
            assertThat(check("21.0.8", "tutor", "local", "upgrade", "--from"))
                    .containsExactly("Tutor 21.0.8: 'local upgrade': option --from requires an argument");
            assertThat(check("21.0.8", "tutor", "local", "launch", "--non-interactive=yes"))
                    .containsExactly("Tutor 21.0.8: 'local launch': option --non-interactive does not take a value");
        }

        @Test
        void shortOptionClustersAndAttachedValues() {
            assertThat(check("21.0.8", "tutor", "local", "launch", "-Ip")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "do", "init", "-lmysql")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "logs", "--tail", "ten")).containsExactly(
                    "Tutor 21.0.8: 'local logs --tail' takes a whole number, not ten");
        }

        @Test
        void repeatedMultipleOptions() {
            assertThat(check("21.0.8", "tutor", "config", "save", "--set", "A=1", "-s", "B=2", "--unset", "C")).isEmpty();
            assertThat(check("21.0.8", "tutor", "images", "build", "openedx", "-a", "X=1", "--build-arg=Y=2",
                    "--no-cache")).isEmpty();
        }

        @Test
        void argumentCountsAndChoices() {
            assertThat(check("21.0.8", "tutor", "local", "do", "createuser", "--password=x", "admin"))
                    .containsExactly("Tutor 21.0.8: 'local do createuser': missing argument EMAIL");
            assertThat(check("21.0.8", "tutor", "local", "do", "print-edx-platform-setting", "-s", "studio", "X"))
                    .containsExactly("Tutor 21.0.8: 'local do print-edx-platform-setting --service' accepts lms, cms, "
                            + "not studio");
            assertThat(check("21.0.8", "tutor", "local", "upgrade", "--from=juniper")).isEmpty();
        }

        @Test
        void doubleDashAndPassThroughCommands() {
            assertThat(check("21.0.8", "tutor", "local", "run", "lms", "./manage.py", "lms", "migrate", "--plan"))
                    .isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "exec", "mysql", "mysql", "-e", "select 1")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "do", "sqlshell", "--", "-e", "show tables")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "dc", "--", "ps", "-a")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "start", "-d", "--", "--weird-service")).isEmpty();
        }

        @Test
        void helpAndVersionStopParsing() {
            assertThat(check("21.0.8", "tutor", "--help")).isEmpty();
            assertThat(check("21.0.8", "tutor", "--version")).isEmpty();
            assertThat(check("21.0.8", "tutor", "local", "upgrade", "--help")).isEmpty();
            assertThat(check("3.12.6", "tutor", "local", "quickstart", "-h")).isEmpty();
        }

        @Test
        void rootOptionsBeforeTheCommand() {
            assertThat(check("21.0.8", "tutor", "--root", "/srv/tutor", "local", "launch", "-I")).isEmpty();
            assertThat(check("21.0.8", "tutor", "-r=/srv/tutor", "config", "printroot")).isEmpty();
            assertThat(check("3.0.0", "tutor", "local", "start", "--root=/srv/tutor")).isEmpty();
        }

        @Test
        void commandsThatAskWithoutAnOffSwitch() {
            assertThat(check("21.0.8", "tutor", "k8s", "delete"))
                    .containsExactly("Tutor 21.0.8: 'k8s delete' asks for confirmation; add -y (--yes) "
                            + "(the executor runs with stdin closed)");
            assertThat(check("21.0.8", "tutor", "k8s", "delete", "--yes")).isEmpty();
            assertThat(check("21.0.8", "tutor", "config", "save", "--interactive")).singleElement().asString()
                    .contains("'config save' asks");
            assertThat(check("21.0.8", "tutor", "local", "do", "createuser", "admin", "a@example.com")).singleElement()
                    .asString().contains("add -p (--password)");
        }
    }
}
