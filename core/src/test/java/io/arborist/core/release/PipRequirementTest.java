package io.arborist.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipRequirementTest {
    @Nested
    class Specifiers {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            ">=18,<19        | 18.2.2   | true",
            ">=18,<19        | 19.0.0   | false",
            ">=18.0.0,<19.0.0| 18       | true",
            ">= 3.11         | 3.9      | false",
            ">= 3.9          | 3.10     | true",
            "==21.0.8        | 21.0.8   | true",
            "==21.0.8        | 21.0.80  | false",
            "==21            | 21.0.0   | true",
            "==2.*           | 2.4.0    | true",
            "==2.*           | 3.0.0    | false",
            "!=2.*           | 3.0.0    | true",
            "!=2.4.0         | 2.4.0    | false",
            "~=3.9           | 3.12     | true",
            "~=3.9           | 4.0      | false",
            "~=2.4.1         | 2.4.9    | true",
            "~=2.4.1         | 2.5.0    | false",
            ">1.0            | 1.0.post1| false",
            ">1.0            | 1.1      | true",
            "<2.0            | 2.0rc1   | false",
            "<2.0            | 1.9      | true",
            "<=2.0           | 2.0      | true",
            "===1.0          | 1.0      | true",
            "===1.0          | 1.0.0    | false",
            "''              | 0.1      | true",
        })
        void pep440Clauses(String spec, String version, boolean expected) {
            assertThat(VersionSpecifier.parse(spec.equals("''") ? "" : spec).contains(version)).isEqualTo(expected);
        }

        @Test
        void preReleasesSortBeforeTheFinalRelease() {
            assertThat(Pep440Version.parse("2.0rc1")).isLessThan(Pep440Version.parse("2.0"));
            assertThat(Pep440Version.parse("2.0.dev1")).isLessThan(Pep440Version.parse("2.0a1"));
            assertThat(Pep440Version.parse("2.0.post1")).isGreaterThan(Pep440Version.parse("2.0"));
            assertThat(Pep440Version.parse("1!1.0")).isGreaterThan(Pep440Version.parse("2.0"));
            assertThat(Pep440Version.parse("1.0")).isEqualTo(Pep440Version.parse("1.0.0"));
        }

        @Test
        void badSpecifiersNameTheInput() {
            assertThatThrownBy(() -> VersionSpecifier.parse(">=banana"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("banana");
            assertThatThrownBy(() -> VersionSpecifier.parse(">=2.*")).hasMessageContaining("'.*' only goes with");
            assertThatThrownBy(() -> VersionSpecifier.parse("~=3")).hasMessageContaining("at least two");
            assertThatThrownBy(() -> VersionSpecifier.parse(">=1,,<2")).hasMessageContaining("empty clause");
        }

        @Test
        void pinnedVersion() {
            assertThat(VersionSpecifier.parse("==21.0.8").pinned()).contains("21.0.8");
            assertThat(VersionSpecifier.parse("==2.*").pinned()).isEmpty();
            assertThat(VersionSpecifier.parse(">=1").pinned()).isEmpty();
            assertThat(VersionSpecifier.parse(" ").isAny()).isTrue();
        }
    }

    @Nested
    class Requirements {
        @Test
        void nameExtrasAndSpecifier() {
            PipRequirement r = PipRequirement.parse("tutor[full]==21.0.8");
            assertThat(r.name()).isEqualTo("tutor");
            assertThat(r.extras()).containsExactly("full");
            assertThat(r.specifier().text()).isEqualTo("==21.0.8");
            assertThat(r.matches("21.0.8")).isTrue();
            assertThat(r.toString()).isEqualTo("tutor[full]==21.0.8");
            PipRequirement ranged = PipRequirement.parse("Tutor_MFE >= 18.0.0, <19.0.0");
            assertThat(ranged.canonicalName()).isEqualTo("tutor-mfe");
            assertThat(ranged.matches("18.1.0")).isTrue();
            assertThat(ranged.matches("19.0.0")).isFalse();
        }

        @Test
        void directReferencesAndMarkers() {
            PipRequirement url = PipRequirement.parse("tutor-mfe@git+https://github.com/overhangio/tutor-mfe@main");
            assertThat(url.url()).contains("git+https://github.com/overhangio/tutor-mfe@main");
            assertThat(url.matches("99.0.0")).isTrue();
            PipRequirement marked = PipRequirement.parse("importlib-metadata>=7; python_version < \"3.10\"");
            assertThat(marked.marker()).contains("python_version < \"3.10\"");
            assertThat(marked.specifier().text()).isEqualTo(">=7");
        }

        @Test
        void badRequirementsNameTheInput() {
            assertThatThrownBy(() -> PipRequirement.parse("tutor==banana"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tutor==banana");
            assertThatThrownBy(() -> PipRequirement.parse("")).hasMessageContaining("not a pip requirement");
        }
    }

    @Nested
    class InstallCheck {
        private final PipInstallCheck pip = PipInstallCheck.bundled();

        private List<String> check(String python, Map<String, String> installed, String... requirements) {
            return pip.check(List.of(requirements), python, installed);
        }

        @Test
        void aspectsTwoNeedsPythonThreeEleven() {
            // tutor-contrib-aspects v2.0.0 .. v2.6.0 setup.py: python_requires=">=3.11"
            assertThat(check("3.9", Map.of(), "pip", "install", "tutor-contrib-aspects==2.4.0"))
                    .containsExactly("tutor-contrib-aspects 2.4.0 requires Python >=3.11; the host has Python 3.9");
            assertThat(check("3.9", Map.of(), "pip", "install", "tutor[full]==18.2.2", "tutor-contrib-aspects>=2,<3"))
                    .singleElement().asString().contains("requires Python >=3.11");
            assertThat(check("3.11", Map.of(), "pip", "install", "tutor[full]==18.2.2", "tutor-contrib-aspects>=2,<3"))
                    .isEmpty();
        }

        @Test
        void aspectsTwoFourDeclaresOnlyALowerBoundOnTutor() {
            // tutor-contrib-aspects v2.4.0 requirements/base.in: tutor>=18, tutor-mfe>=18 (no upper bound), so pip
            // accepts it beside Tutor 21: only the documented compatibility range can forbid it.
            assertThat(PluginCatalog.bundled().release("tutor-contrib-aspects", "2.4.0").orElseThrow().installRequires())
                    .contains("tutor>=18", "tutor-mfe>=18");
            assertThat(check("3.11", Map.of(), "pip", "install", "tutor[full]==21.0.8", "tutor-contrib-aspects==2.4.0"))
                    .isEmpty();
        }

        @Test
        void aspectsTwoTwoToTwoThreeNeedSumacsMfeSoCannotJoinRedwood() {
            // tutor-contrib-aspects v2.2.0..v2.3.1 requirements/base.in: tutor-mfe>=19; tutor v18.2.2
            // requirements/plugins.txt (extra full): tutor-mfe>=18.0.0,<19.0.0
            assertThat(check("3.11", Map.of(), "pip", "install", "tutor[full]==18.2.2", "tutor-contrib-aspects==2.3.1"))
                    .containsExactly("tutor 18.2.2 requires tutor-mfe>=18.0.0,<19.0.0 and tutor-contrib-aspects 2.3.1 "
                            + "requires tutor-mfe>=19: no tutor-mfe release meets both");
            assertThat(check("3.11", Map.of(), "pip", "install", "tutor[full]==18.2.2", "tutor-contrib-aspects==2.4.0"))
                    .isEmpty();
        }

        @Test
        void aspectsOneNeedsTutorFifteen() {
            // tutor-contrib-aspects v1.0.0 requirements/base.in: tutor>=15
            assertThat(check("3.8", Map.of(), "pip", "install", "tutor[full]==14.2.3", "tutor-contrib-aspects==1.0.0"))
                    .containsExactly("tutor-contrib-aspects 1.0.0 requires tutor>=15, but the same command installs "
                            + "tutor 14.2.3");
            assertThat(check("3.8", Map.of("tutor", "14.2.3"), "pip", "install", "tutor-contrib-aspects==1.0.0"))
                    .containsExactly("tutor-contrib-aspects 1.0.0 requires tutor>=15, but tutor 14.2.3 is installed");
            assertThat(check("3.8", Map.of("tutor", "15.3.7"), "pip", "install", "tutor-contrib-aspects==1.0.0"))
                    .isEmpty();
        }

        @Test
        void pluginMajorsFollowTutorMajors() {
            assertThat(check("3.8", Map.of(), "pip", "install", "tutor==13.3.1", "tutor-mfe==12.1.0"))
                    .containsExactly("tutor-mfe 12.1.0 requires tutor>=12.0.0,<13.0.0, but the same command installs "
                            + "tutor 13.3.1");
            assertThat(check("3.8", Map.of(), "pip", "install", "tutor[full]==13.3.1", "tutor-mfe==13.0.6")).isEmpty();
            assertThat(check("3.9", Map.of(), "python3", "-m", "pip", "install", "--upgrade", "tutor[full]==21.0.8",
                    "tutor-indigo==20.0.1")).containsExactly(
                    "tutor 21.0.8 requires tutor-indigo>=21.0.0,<22.0.0, but the same command installs tutor-indigo 20.0.1",
                    "tutor-indigo 20.0.1 requires tutor>=20.0.0,<21.0.0, but the same command installs tutor 21.0.8",
                    "tutor 21.0.8 requires tutor-mfe>=21.0.0,<22.0.0 and tutor-indigo 20.0.1 requires "
                            + "tutor-mfe>=20.0.0,<21.0.0: no tutor-mfe release meets both");
        }

        @Test
        void tutorItselfNeedsItsPython() {
            // tutor v22.0.0 (verawood) pyproject.toml: requires-python = ">= 3.10"
            assertThat(check("3.9", Map.of(), "pip", "install", "tutor[full]==22.0.0"))
                    .containsExactly("tutor 22.0.0 requires Python >=3.10; the host has Python 3.9");
        }

        @Test
        void versionsOutsideTheDataAreReported() {
            assertThat(check("3.12", Map.of(), "pip", "install", "tutor-contrib-aspects==6.1.0")).singleElement()
                    .asString().startsWith("tutor-contrib-aspects==6.1.0: no release of tutor-contrib-aspects in the "
                            + "bundled data matches");
            assertThat(check("3.12", Map.of(), "pip", "install", "click>=8", "bcrypt")).isEmpty();
        }

        @Test
        void notAPipInstall() {
            assertThat(check("3.11", Map.of(), "tutor", "local", "launch")).singleElement().asString()
                    .startsWith("not a pip command");
            assertThat(check("3.11", Map.of(), "pip", "install", "-r", "requirements.txt")).singleElement().asString()
                    .contains("-r cannot be checked");
            assertThatThrownBy(() -> check("three", Map.of(), "pip", "install", "tutor"))
                    .hasMessageContaining("three");
        }
    }

    @Nested
    class Plugins {
        private final PluginCatalog plugins = PluginCatalog.bundled();

        @Test
        void releasesOfAPackageInVersionOrder() {
            List<PluginRelease> aspects = plugins.releases("tutor-contrib-aspects");
            assertThat(aspects).extracting(PluginRelease::version).contains("1.0.0", "2.4.0", "3.0.3");
            assertThat(aspects.get(0).version()).isEqualTo("0.1.0");
            assertThat(plugins.releases("aspects")).isEqualTo(aspects);
            assertThat(plugins.packages()).containsExactly("tutor-contrib-aspects", "tutor-forum", "tutor-indigo",
                    "tutor-mfe", "tutor-minio");
        }

        @Test
        void whatAReleaseDeclares() {
            PluginRelease aspects = plugins.release("tutor-contrib-aspects", "2.4.0").orElseThrow();
            assertThat(aspects.name()).isEqualTo("aspects");
            assertThat(aspects.pythonRequires()).isEqualTo(">=3.11");
            assertThat(aspects.images()).containsExactlyInAnyOrder("aspects", "aspects-superset");
            assertThat(aspects.doJobs()).contains("dbt", "alembic", "import-assets", "init-clickhouse");
            assertThat(aspects.commands()).containsExactly("aspects");
            assertThat(aspects.tagged()).isTrue();
            assertThat(aspects.source()).startsWith("openedx/tutor-contrib-aspects@v2.4.0 (")
                    .contains("requirements/base.in");
            PluginRelease mfe = plugins.release("mfe", "12.1.0").orElseThrow();
            assertThat(mfe.tagged()).isFalse();
            assertThat(mfe.images()).containsExactly("mfe");
            assertThat(mfe.requirementOn("tutor")).map(PipRequirement::toString).contains("tutor>=12.0.0,<13.0.0");
            assertThat(plugins.release("tutor-forum", "21.0.0").orElseThrow().images()).isEmpty();
        }

        @Test
        void newestCompatibleWithATutorVersion() {
            assertThat(plugins.newestCompatible("tutor-mfe", TutorVersion.parse("12.2.0")).map(PluginRelease::version))
                    .contains("12.1.0");
            assertThat(plugins.newestCompatible("tutor-mfe", TutorVersion.parse("21.0.8")).map(PluginRelease::version))
                    .contains("21.0.0");
            assertThat(plugins.newestCompatible("tutor-minio", TutorVersion.parse("11.3.1")).map(PluginRelease::version))
                    .contains("11.0.0");
            assertThat(plugins.newestCompatible("tutor-mfe", TutorVersion.parse("3.12.6"))).isEmpty();
            assertThat(plugins.release("tutor-mfe", "99.0.0")).isEqualTo(Optional.empty());
            assertThat(Set.copyOf(plugins.releases("nothing"))).isEmpty();
        }
    }
}
