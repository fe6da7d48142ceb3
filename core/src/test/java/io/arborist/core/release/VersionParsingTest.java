package io.arborist.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.Strategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionParsingTest {

    @Nested
    class TutorVersions {
        @ParameterizedTest(name = "\"{0}\" -> {1}.{2}.{3}")
        @CsvSource({"21.0.8,21,0,8", "v12.2.0,12,2,0", "12.2,12,2,0", "12,12,0,0", "' 14.2.3 ',14,2,3", "3.12.6,3,12,6",
                "v22,22,0,0"})
        void parses_full_partial_and_prefixed_versions(String text, int major, int minor, int patch) {
            assertThat(TutorVersion.parse(text)).isEqualTo(new TutorVersion(major, minor, patch));
            assertThat(TutorVersion.looksLikeVersion(text)).isTrue();
        }

        @Test
        void prints_as_three_numbers() {
            assertThat(TutorVersion.parse("v12").toString()).isEqualTo("12.0.0");
            assertThat(new TutorVersion(21, 0, 8).toString()).isEqualTo("21.0.8");
        }

        @Test
        void orders_numerically_not_alphabetically() {
            List<TutorVersion> versions = new ArrayList<>(List.of(TutorVersion.parse("13.1.10"), TutorVersion.parse("13.1.9"),
                    TutorVersion.parse("3.12.6"), TutorVersion.parse("13.0.0"), TutorVersion.parse("12.2.0")));
            versions.sort(null);
            assertThat(versions).extracting(TutorVersion::toString)
                    .containsExactly("3.12.6", "12.2.0", "13.0.0", "13.1.9", "13.1.10");
            assertThat(TutorVersion.parse("12.2").compareTo(TutorVersion.parse("12.2.0"))).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "abc", "1.2.3.4", "1.2.3.4.5", "12.x", "-1.0.0", "12.2.0-beta", "v", "12..0", "12345.0.0"})
        void rejects_garbage_naming_the_text(String text) {
            assertThat(TutorVersion.looksLikeVersion(text)).isFalse();
            assertThatThrownBy(() -> TutorVersion.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("Tutor version");
        }

        @Test
        void rejects_negative_numbers_and_null() {
            assertThatThrownBy(() -> new TutorVersion(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> TutorVersion.parse(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> TutorVersion.looksLikeVersion(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class AspectsVersions {
        @ParameterizedTest(name = "\"{0}\" -> {1}.{2}.{3}")
        @CsvSource({"2.5.3,2,5,3", "v2.5.3,2,5,3", "2.5,2,5,0", "2,2,0,0", "2.x,2,0,0", "v3.x,3,0,0", "' 4.0.0 ',4,0,0"})
        void parses_versions_and_lines(String text, int major, int minor, int patch) {
            assertThat(AspectsVersion.parse(text)).isEqualTo(new AspectsVersion(major, minor, patch));
        }

        @ParameterizedTest(name = "\"{0}\" names a line only: {1}")
        @CsvSource({"2,true", "2.x,true", "v3.x,true", "' 3 ',true", "2.5,false", "2.5.3,false", "v2.5.3,false"})
        void tells_lines_from_exact_versions(String text, boolean lineOnly) {
            assertThat(AspectsVersion.namesLineOnly(text)).isEqualTo(lineOnly);
        }

        @Test
        void orders_numerically() {
            assertThat(AspectsVersion.parse("2.10.0")).isGreaterThan(AspectsVersion.parse("2.5.3"));
            assertThat(AspectsVersion.parse("3.0.0")).isGreaterThan(AspectsVersion.parse("2.99.99"));
            assertThat(AspectsVersion.parse("v1.3.2").toString()).isEqualTo("1.3.2");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "two", "2.5.3.4", "x", "2.5.3-rc1", "-2"})
        void rejects_garbage_naming_the_text(String text) {
            assertThatThrownBy(() -> AspectsVersion.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("Aspects version");
        }

        @Test
        void rejects_negative_numbers() {
            assertThatThrownBy(() -> new AspectsVersion(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ReleaseNames {
        @Test
        void accepts_lower_case_codenames() {
            assertThat(new ReleaseName("koa").value()).isEqualTo("koa");
            assertThat(new ReleaseName("verawood").displayName()).isEqualTo("Verawood");
            assertThat(new ReleaseName("koa").toString()).isEqualTo("koa");
        }

        @ParameterizedTest
        @CsvSource({"Koa,koa", "' KOA ',koa", "ulmo,ulmo", "'\tTeak ',teak"})
        void of_normalises_case_and_blanks(String raw, String expected) {
            assertThat(ReleaseName.of(raw)).isEqualTo(new ReleaseName(expected));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Koa", "koa2", "koa.3", "open-release/koa", " koa", "kóa"})
        void constructor_rejects_anything_but_lower_case_letters(String value) {
            assertThatThrownBy(() -> new ReleaseName(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + value + "'")
                    .hasMessageContaining("lower-case");
        }

        @Test
        void of_still_rejects_non_letters() {
            assertThatThrownBy(() -> ReleaseName.of("koa.3")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("koa.3");
            assertThatThrownBy(() -> ReleaseName.of("   ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ReleaseName.of(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void compares_alphabetically() {
            assertThat(new ReleaseName("koa")).isLessThan(new ReleaseName("lilac"));
            assertThat(new ReleaseName("verawood")).isGreaterThan(new ReleaseName("ulmo"));
        }

        @Test
        void release_point_prints_as_name_dot_point_and_validates() {
            assertThat(ReleasePoint.of(" Koa ", "3").toString()).isEqualTo("koa.3");
            assertThat(ReleasePoint.of("koa", "2a").release()).isEqualTo(new ReleaseName("koa"));
            assertThatThrownBy(() -> ReleasePoint.of("koa", " ")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ModesAndStrategies {
        @ParameterizedTest
        @CsvSource({"local,LOCAL", "LOCAL,LOCAL", "' dev ',DEV", "K8s,K8S", "k8s,K8S"})
        void parses_deployment_modes_in_any_case(String text, DeploymentMode expected) {
            assertThat(DeploymentMode.parse(text)).isEqualTo(expected);
        }

        @Test
        void deployment_mode_word_is_what_tutor_expects() {
            assertThat(DeploymentMode.K8S.word()).isEqualTo("k8s");
            assertThat(DeploymentMode.LOCAL.word()).isEqualTo("local");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "docker", "kubernetes", "locale"})
        void unknown_deployment_mode_names_text_and_valid_values(String text) {
            assertThatThrownBy(() -> DeploymentMode.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("local")
                    .hasMessageContaining("dev")
                    .hasMessageContaining("k8s");
        }

        @ParameterizedTest
        @CsvSource({"stepwise,STEPWISE", "Waypoints,WAYPOINTS", "' WAYPOINTS ',WAYPOINTS"})
        void parses_strategies_in_any_case(String text, Strategy expected) {
            assertThat(Strategy.parse(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "fast", "step-wise"})
        void unknown_strategy_names_text_and_valid_values(String text) {
            assertThatThrownBy(() -> Strategy.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("stepwise")
                    .hasMessageContaining("waypoints");
        }

        @Test
        void null_mode_or_strategy_is_a_programming_error() {
            assertThatThrownBy(() -> DeploymentMode.parse(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Strategy.parse(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
