package io.arborist.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCheckTest {
    @Test
    void reports_newer_tutor_pins_new_majors_and_aspects_releases_and_ignores_yanked_and_prereleases() throws Exception {
        try (IndexServer index = new IndexServer()) {
            CatalogCheck.Report report = CatalogCheck.builder().index(index.uri()).build().check(ReleaseCatalog.bundled());

            assertThat(index.requested).contains("/pypi/tutor/json", "/pypi/tutor-contrib-aspects/json");
            assertThat(report.current()).isFalse();
            assertThat(report.findings()).extracting(CatalogCheck.Finding::packageName, CatalogCheck.Finding::catalogVersion,
                    CatalogCheck.Finding::indexVersion)
                    .contains(org.assertj.core.groups.Tuple.tuple("tutor", "21.0.8", "21.0.9"),
                            org.assertj.core.groups.Tuple.tuple("tutor", "none", "23.0.0"),
                            org.assertj.core.groups.Tuple.tuple("tutor-contrib-aspects", "3.0.3", "6.1.0"),
                            org.assertj.core.groups.Tuple.tuple("tutor-mfe", "22.0.0", "22.0.1"),
                            org.assertj.core.groups.Tuple.tuple("tutor-minio", "20.0.0", "21.0.0"))
                    .noneMatch(t -> t.toList().contains("22.0.3"))
                    .noneMatch(t -> t.toList().contains("23.0.0rc1"))
                    .noneMatch(t -> t.toList().contains("6.2.0.dev1"));
            assertThat(report.toText()).contains("Catalog checked on " + ReleaseCatalog.bundled().checked())
                    .contains("tutor 23.0.0 (catalog: none): Tutor 23.x deploys a release the catalog does not have");
        }
    }

    @Test
    void an_overlay_that_adds_the_newer_versions_is_current() throws Exception {
        String overlay = """
                {"releases": [{"name": "ulmo", "tutor": {"pin": "21.0.9"}},
                  {"name": "verawood", "tutor": {"pin": "22.0.0"}},
                  {"name": "willow", "ordinal": 24, "released": "2026-12-09", "branch": "release/willow", "tagPrefix": "release/willow.",
                   "points": [{"name": "1", "firstTutor": "23.0.0", "lastTutor": "23.0.0"}],
                   "tutor": {"major": 23, "pin": "23.0.0", "pip": "tutor[full]"}, "python": "3.12",
                   "datastores": {"mysql": "8.4.9", "mongodb": "7.0.35", "search": {"engine": "meilisearch", "version": "v1.36.0"}},
                   "images": ["openedx", "mfe"]}],
                 "aspects": {"lines": [
                   {"major": 5, "documentedFrom": "willow", "toleratedFrom": "willow", "clickhouse": "25.8", "requirement": "test", "source": "test"},
                   {"major": 6, "documentedFrom": "willow", "toleratedFrom": "willow", "clickhouse": "25.8", "requirement": "test", "source": "test"}],
                  "versions": [
                   {"version": "4.0.0", "date": "2026-08-01", "clickhouse": "25.8", "dbt": "v8.0.0", "superset": "6.0.0", "minRelease": "verawood"},
                   {"version": "5.0.0", "date": "2026-10-01", "clickhouse": "25.8", "dbt": "v8.0.0", "superset": "6.0.0", "minRelease": "verawood"},
                   {"version": "6.1.0", "date": "2026-11-20", "clickhouse": "25.8", "dbt": "v8.0.0", "superset": "6.0.0", "minRelease": "verawood"}]}}
                """;
        ReleaseCatalog catalog = ReleaseCatalog.bundled().overlay(new ByteArrayInputStream(overlay.getBytes(StandardCharsets.UTF_8)), "willow.json");
        try (IndexServer index = new IndexServer()) {
            CatalogCheck.Report report = CatalogCheck.builder().index(index.uri()).build().check(catalog);
            assertThat(report.findings()).extracting(CatalogCheck.Finding::indexVersion).doesNotContain("21.0.9", "23.0.0", "6.1.0");
        }
    }

    @Test
    void an_unknown_package_and_an_unreachable_index_are_one_clear_error() throws Exception {
        try (IndexServer index = new IndexServer()) {
            CatalogCheck check = CatalogCheck.builder().index(URI.create(index.uri() + "/missing")).build();
            assertThatThrownBy(() -> check.check(ReleaseCatalog.bundled())).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("HTTP 404 (no such package)").hasMessageContaining("/missing/tutor/json")
                    .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.UNREACHABLE));
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CatalogCheck check = CatalogCheck.builder().index(URI.create("http://127.0.0.1:" + closed + "/pypi")).timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> check.check(ReleaseCatalog.bundled())).isInstanceOf(ArboristException.class)
                .hasMessageContaining("127.0.0.1:" + closed).hasMessageContaining("Check the address");
    }

    @Test
    void index_urls_with_credentials_or_other_schemes_are_refused() {
        assertThatThrownBy(() -> CatalogCheck.builder().index(URI.create("https://user:secret@pypi.example/pypi")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> CatalogCheck.builder().index(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
    }

    @Test
    void versions_compare_numerically() {
        assertThat(List.of("21.0.10", "21.0.9", "3.12.6").stream().sorted(CatalogCheck::compare).toList())
                .containsExactly("3.12.6", "21.0.9", "21.0.10");
        assertThat(CatalogCheck.compare("22.0", "22.0.0")).isZero();
    }
}
