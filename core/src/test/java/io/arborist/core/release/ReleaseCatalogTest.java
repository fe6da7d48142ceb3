package io.arborist.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.CatalogException;
import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.aspects.TableRename;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseCatalogTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> IRONWOOD_TO_VERAWOOD = List.of("ironwood", "juniper", "koa", "lilac", "maple",
            "nutmeg", "olive", "palm", "quince", "redwood", "sumac", "teak", "ulmo", "verawood");

    private final ReleaseCatalog catalog = ReleaseCatalog.bundled();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    private static Path resource(String name) {
        try {
            return Path.of(ReleaseCatalogTest.class.getResource("/catalogs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode willowOverlay() {
        try {
            return (ObjectNode) MAPPER.readTree(Files.readString(resource("willow.json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode willowEntry(ObjectNode overlay) {
        return (ObjectNode) overlay.get("releases").get(0);
    }

    private Path write(String fileName, String json) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private Path write(String fileName, ObjectNode json) throws IOException {
        return write(fileName, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private CatalogException overlayFails(String fileName, String json) throws IOException {
        Path file = write(fileName, json);
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> catalog.overlay(file));
        assertThat(e).as("overlay %s must be rejected", fileName).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(e.getMessage()).contains(fileName);
        return e;
    }

    private CatalogException overlayFails(String fileName, ObjectNode json) throws IOException {
        return overlayFails(fileName, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private static PlanningException unknownName(ReleaseCatalog c, String text) {
        PlanningException e = catchThrowableOfType(PlanningException.class, () -> c.resolve(text));
        assertThat(e).as("resolve(\"%s\") must fail", text).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_NAME);
        return e;
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- bundled catalog

    @Nested
    class BundledCatalog {
        @Test
        void covers_ironwood_through_verawood_in_order() {
            List<String> names = catalog.releases().stream().map(r -> r.name().value()).toList();
            assertThat(names).containsSubsequence(IRONWOOD_TO_VERAWOOD);
            assertThat(names.subList(0, IRONWOOD_TO_VERAWOOD.size())).containsExactlyElementsOf(IRONWOOD_TO_VERAWOOD);
        }

        @Test
        void ordinals_are_strictly_increasing() {
            List<Integer> ordinals = catalog.releases().stream().map(Release::ordinal).toList();
            for (int i = 1; i < ordinals.size(); i++) {
                assertThat(ordinals.get(i)).as("ordinal after %s", catalog.releases().get(i - 1).name())
                        .isGreaterThan(ordinals.get(i - 1));
            }
            assertThat(catalog.release(new ReleaseName("koa")).ordinal()).isEqualTo(12);
        }

        @Test
        void tutor_majors_are_strictly_increasing() {
            List<Integer> majors = catalog.releases().stream().map(r -> r.tutor().major()).toList();
            for (int i = 1; i < majors.size(); i++) {
                assertThat(majors.get(i)).isGreaterThan(majors.get(i - 1));
            }
        }

        @Test
        void every_release_has_points_and_a_tutor_pin_in_its_major() {
            assertThat(catalog.releases()).allSatisfy(r -> {
                assertThat(r.points()).as("%s points", r.name()).isNotEmpty();
                assertThat(r.tutor().pin().major()).as("%s pin", r.name()).isEqualTo(r.tutor().major());
            });
        }

        @Test
        void teak_and_later_use_release_prefix_earlier_use_open_release() {
            int teak = catalog.release(new ReleaseName("teak")).ordinal();
            assertThat(catalog.releases()).allSatisfy(r -> {
                if (r.ordinal() >= teak) {
                    assertThat(r.branch()).isEqualTo("release/" + r.name());
                    assertThat(r.tagPrefix()).isEqualTo("release/" + r.name() + ".");
                } else {
                    assertThat(r.branch()).isEqualTo("open-release/" + r.name() + ".master");
                    assertThat(r.tagPrefix()).isEqualTo("open-release/" + r.name() + ".");
                }
            });
            Release teakRelease = catalog.release(new ReleaseName("teak"));
            assertThat(teakRelease.tag(teakRelease.point("2").orElseThrow())).isEqualTo("release/teak.2");
            Release koa = catalog.release(new ReleaseName("koa"));
            assertThat(koa.tag(koa.point("3").orElseThrow())).isEqualTo("open-release/koa.3");
        }

        @ParameterizedTest(name = "{0} is deployed by Tutor {1}")
        @CsvSource({"ironwood,3", "juniper,10", "koa,11", "lilac,12", "maple,13", "nutmeg,14", "olive,15", "palm,16",
                "quince,17", "redwood,18", "sumac,19", "teak,20", "ulmo,21", "verawood,22"})
        void tutor_major_per_release(String release, int major) {
            assertThat(catalog.release(new ReleaseName(release)).tutor().major()).isEqualTo(major);
            assertThat(catalog.releaseForTutor(new TutorVersion(major, 0, 0)).map(r -> r.name().value()))
                    .contains(release);
        }

        @Test
        void datastore_facts_match_catalog_json() {
            assertThat(catalog.release(new ReleaseName("redwood")).datastores().mysql()).isEqualTo("8.4.0");
            SearchEngine sumacSearch = catalog.release(new ReleaseName("sumac")).datastores().search();
            assertThat(sumacSearch.engine()).isEqualTo("meilisearch");
            assertThat(sumacSearch.version()).isEqualTo("v1.8.4");
            assertThat(catalog.release(new ReleaseName("redwood")).datastores().search().engine()).isEqualTo("elasticsearch");
            Datastores verawood = catalog.release(new ReleaseName("verawood")).datastores();
            assertThat(verawood.version(Datastore.SEARCH)).contains("meilisearch v1.36.0");
            assertThat(catalog.release(new ReleaseName("koa")).datastores().redis()).contains("6.0.9");
            assertThat(catalog.release(new ReleaseName("juniper")).datastores().redis()).isEmpty();
            assertThat(catalog.release(new ReleaseName("juniper")).datastores().version(Datastore.REDIS)).isEmpty();
            assertThat(catalog.release(new ReleaseName("lilac")).datastores().mongodb()).isEqualTo("4.0.25");
        }

        @Test
        void other_release_facts_match_catalog_json() {
            Release ulmo = catalog.release(new ReleaseName("ulmo"));
            assertThat(ulmo.tutor().pin()).isEqualTo(new TutorVersion(21, 0, 8));
            assertThat(ulmo.tutor().pipRequirement()).isEqualTo("tutor[full]==21.0.8");
            assertThat(ulmo.released()).contains(LocalDate.of(2026, 1, 15));
            assertThat(ulmo.django()).contains("5.2");
            Release koa = catalog.release(new ReleaseName("koa"));
            assertThat(koa.points()).extracting(PointRelease::name).containsExactly("1", "2", "2a", "3");
            assertThat(koa.point("2a").orElseThrow().shippedByTutor()).isFalse();
            assertThat(catalog.release(new ReleaseName("verawood")).images()).containsExactly("openedx", "mfe");
        }

        @Test
        void next_walks_the_catalog_order() {
            Release koa = catalog.release(new ReleaseName("koa"));
            assertThat(catalog.next(koa).map(r -> r.name().value())).contains("lilac");
            Release last = catalog.releases().get(catalog.releases().size() - 1);
            assertThat(catalog.next(last)).isEmpty();
        }

        @Test
        void find_returns_empty_for_unknown_and_release_throws() {
            assertThat(catalog.find(new ReleaseName("willow"))).isEmpty();
            assertThat(catalog.find(new ReleaseName("olive"))).isPresent();
            assertThatThrownBy(() -> catalog.release(new ReleaseName("liliac")))
                    .isInstanceOf(PlanningException.class)
                    .hasMessageContaining("Did you mean 'lilac'?")
                    .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.UNKNOWN_NAME);
        }

        @Test
        void bundled_is_cached_and_names_its_source() {
            assertThat(ReleaseCatalog.bundled()).isSameAs(catalog);
            assertThat(catalog.source()).contains("catalog.json");
            assertThat(catalog.toString()).contains("releases");
        }

        @Test
        void releases_list_is_immutable() {
            assertThatThrownBy(() -> catalog.releases().clear()).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void estimates_have_a_default_and_fall_back_to_it() {
            assertThat(catalog.estimates().of("default")).isPositive();
            assertThat(catalog.estimates().of("no-such-key")).isEqualTo(catalog.estimates().of("default"));
            assertThat(catalog.estimates().build("no-such-image")).isEqualTo(catalog.estimates().of("build.default"));
        }
    }

    // ---------------------------------------------------------------- lenient resolution

    @Nested
    class Resolve {
        @ParameterizedTest(name = "\"{0}\" resolves to {1}")
        @CsvSource(delimiter = '|', value = {
                "koa|koa.3",
                "Koa|koa.3",
                "' KOA '|koa.3",
                "koa.3|koa.3",
                "koa.1|koa.1",
                "koa.2a|koa.2a",
                "open-release/koa.3|koa.3",
                "open-release/koa.2|koa.2",
                "OPEN-RELEASE/Koa.1|koa.1",
                "release/teak.2|teak.2",
                "koa.master|koa.3",
                "open-release/olive.master|olive.4",
                "verawood|verawood.1"})
        void resolves_names_and_tags(String typed, String expected) {
            assertThat(catalog.resolve(typed).toString()).isEqualTo(expected);
        }

        @Test
        void resolves_open_release_tag_with_point() {
            assertThat(catalog.resolve("open-release/koa.3")).isEqualTo(ReleasePoint.of("koa", "3"));
        }

        @ParameterizedTest(name = "Tutor {0} pinned {1}")
        @CsvSource({"12.2.0,lilac.3", "12.0.0,lilac.1", "v11.2.0,koa.2", "14.2.3,nutmeg.2", "21.0.8,ulmo.3",
                "21.0.0,ulmo.1", "12.1.6,lilac.3", "12.1.5,lilac.2", "' 19.0.2 ',sumac.2"})
        void resolves_tutor_versions_to_the_point_they_pinned(String tutor, String expected) {
            assertThat(catalog.resolve(tutor).toString()).isEqualTo(expected);
        }

        @Test
        void tutor_version_of_a_known_major_that_pinned_nothing_known_gives_the_newest_point() {
            assertThat(catalog.resolve("11.99.0")).isEqualTo(ReleasePoint.of("koa", "3"));
            assertThat(catalog.resolve("3.12.6")).as("Tutor 3.11.5 to 3.12.6 build ironwood.master")
                    .isEqualTo(ReleasePoint.of("ironwood", "master"));
            assertThat(catalog.resolve("3.8.0")).isEqualTo(ReleasePoint.of("ironwood", "2"));
        }

        @Test
        void bare_name_resolves_to_the_newest_point_a_tutor_release_pinned() {
            Release nutmeg = catalog.release(new ReleaseName("nutmeg"));
            assertThat(nutmeg.point("3")).as("nutmeg.3 exists").isPresent();
            assertThat(nutmeg.point("3").orElseThrow().shippedByTutor()).isFalse();
            assertThat(catalog.resolve("nutmeg")).isEqualTo(ReleasePoint.of("nutmeg", "2"));
            assertThat(catalog.resolve("nutmeg.3")).isEqualTo(ReleasePoint.of("nutmeg", "3"));
            assertThat(catalog.resolve("ulmo")).isEqualTo(ReleasePoint.of("ulmo", "3"));
        }

        @Test
        void ironwood_resolves_to_the_branch_its_last_tutor_builds() {
            assertThat(catalog.resolve("ironwood")).isEqualTo(ReleasePoint.of("ironwood", "master"));
            Release ironwood = catalog.release(new ReleaseName("ironwood"));
            assertThat(ironwood.tag(ironwood.newestPoint())).isEqualTo("open-release/ironwood.master");
        }

        @Test
        void unknown_name_lists_valid_names_and_suggests_the_nearest() {
            PlanningException e = unknownName(catalog, "liliac");
            assertThat(e.getMessage())
                    .contains("'liliac'")
                    .contains("Did you mean 'lilac'?")
                    .contains("ironwood", "koa", "verawood");
        }

        @Test
        void unknown_name_in_a_tag_suggests_the_nearest() {
            assertThat(unknownName(catalog, "open-release/olvie.2").getMessage()).contains("Did you mean 'olive'?");
        }

        @Test
        void far_away_name_gets_no_suggestion_but_still_lists_valid_names() {
            PlanningException e = unknownName(catalog, "zzzzzzzzzz");
            assertThat(e.getMessage()).doesNotContain("Did you mean").contains("koa", "verawood");
        }

        @Test
        void unknown_point_lists_the_release_points() {
            PlanningException e = unknownName(catalog, "koa.9");
            assertThat(e.getMessage()).contains("koa.9").contains("koa.1", "koa.2", "koa.2a", "koa.3");
        }

        @Test
        void unknown_tutor_major_names_the_known_majors() {
            PlanningException e = unknownName(catalog, "9.1.0");
            assertThat(e.getMessage()).contains("9.1.0").contains("Known Tutor majors")
                    .contains("11 (koa)", "22 (verawood)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void empty_text_gives_a_clear_error(String typed) {
            PlanningException e = unknownName(catalog, typed);
            assertThat(e.getMessage()).containsIgnoringCase("empty").contains("koa");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.2.3.4.5", "12.x", "v1..2"})
        void garbage_version_gives_a_clear_error(String typed) {
            PlanningException e = unknownName(catalog, typed);
            assertThat(e.getMessage()).contains(typed).contains("Tutor version").doesNotContain("Exception");
        }

        @Test
        void null_is_a_programming_error() {
            assertThatThrownBy(() -> catalog.resolve(null)).isInstanceOf(NullPointerException.class);
        }
    }

    // ---------------------------------------------------------------- Aspects

    @Nested
    class Aspects {
        @ParameterizedTest(name = "\"{0}\" resolves to Aspects {1}")
        @CsvSource({"2.x,2.5.3", "2,2.5.3", "3,3.0.3", "3.x,3.0.3", "1.x,1.3.2", "4.x,4.0.0", "2.5.3,2.5.3",
                "v2.5.3,2.5.3", "2.4,2.4.0", "2.5.x,2.5.3", "1.0.x,1.0.3", "2.2.x,2.2.1"})
        void resolves_aspects_versions_and_lines(String typed, String expected) {
            assertThat(catalog.resolveAspects(typed).version().toString()).isEqualTo(expected);
        }

        @Test
        void line_resolves_to_announced_version_only_when_nothing_is_tagged() {
            AspectsRelease four = catalog.resolveAspects("4.x");
            assertThat(four.released()).isFalse();
            assertThat(four.date()).isEmpty();
            assertThat(catalog.resolveAspects("2.x").released()).isTrue();
        }

        @Test
        void unknown_exact_version_lists_known_versions() {
            assertThatThrownBy(() -> catalog.resolveAspects("2.9.9"))
                    .isInstanceOf(PlanningException.class)
                    .hasMessageContaining("2.9.9")
                    .hasMessageContaining("1.3.2")
                    .hasMessageContaining("2.5.3")
                    .hasMessageContaining("4.0.0")
                    .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.UNKNOWN_NAME);
        }

        @Test
        void unknown_line_and_garbage_are_rejected() {
            assertThatThrownBy(() -> catalog.resolveAspects("9.x"))
                    .isInstanceOf(PlanningException.class).hasMessageContaining("9.x").hasMessageContaining("3.0.3");
            assertThatThrownBy(() -> catalog.resolveAspects("banana"))
                    .isInstanceOf(PlanningException.class).hasMessageContaining("banana").hasMessageContaining("2.5.3");
        }

        @Test
        void lines_are_bound_with_their_ranges() {
            AspectsLine two = catalog.aspectsLine(2).orElseThrow();
            assertThat(two.documentedFrom()).isEqualTo(new ReleaseName("redwood"));
            assertThat(two.documentedTo()).contains(new ReleaseName("teak"));
            assertThat(two.toleratedTo()).contains(new ReleaseName("ulmo"));
            assertThat(two.documentedRange()).isEqualTo("Redwood through Teak");
            assertThat(catalog.aspectsLine(4).orElseThrow().documentedRange()).isEqualTo("Verawood and later");
            assertThat(catalog.aspectsLine(3).orElseThrow().documentedRange()).isEqualTo("Ulmo");
            assertThat(catalog.aspectsLine(9)).isEmpty();
            assertThat(catalog.aspectsLines()).extracting(AspectsLine::major).containsExactly(1, 2, 3, 4);
        }

        @Test
        void aspects_releases_are_sorted_by_version() {
            List<AspectsVersion> versions = catalog.aspectsReleases().stream().map(AspectsRelease::version).toList();
            assertThat(versions).isSorted();
            assertThat(versions).contains(new AspectsVersion(1, 3, 2), new AspectsVersion(2, 5, 3), new AspectsVersion(4, 0, 0));
            assertThat(catalog.aspectsRelease(new AspectsVersion(2, 5, 0)).orElseThrow().minRelease())
                    .isEqualTo(new ReleaseName("sumac"));
        }

        @ParameterizedTest(name = "Aspects {0} on {1}: {2}")
        @CsvSource({
                "1.3.2,quince,SUPPORTED",
                "1.3.2,nutmeg,SUPPORTED",
                "1.3.2,sumac,TOLERATED",
                "1.3.2,teak,UNSUPPORTED",
                "1.3.2,maple,UNSUPPORTED",
                "2.5.0,redwood,UNSUPPORTED",
                "2.4.0,redwood,SUPPORTED",
                "2.5.3,sumac,SUPPORTED",
                "2.5.3,ulmo,TOLERATED",
                "2.5.3,verawood,UNSUPPORTED",
                "3.0.3,ulmo,SUPPORTED",
                "3.0.3,verawood,TOLERATED",
                "3.0.3,teak,UNSUPPORTED",
                "4.0.0,verawood,SUPPORTED",
                "4.0.0,ulmo,UNSUPPORTED"})
        void compatibility_verdicts(String version, String release, String expected) {
            CompatibilityVerdict v = catalog.compatibility(AspectsVersion.parse(version), new ReleaseName(release));
            String actual = v instanceof CompatibilityVerdict.Supported ? "SUPPORTED"
                    : v instanceof CompatibilityVerdict.Tolerated ? "TOLERATED" : "UNSUPPORTED";
            assertThat(actual).as("%s: %s", v.getClass().getSimpleName(), v.reason()).isEqualTo(expected);
            assertThat(v.reason()).isNotBlank();
            assertThat(v.runs()).isEqualTo(!expected.equals("UNSUPPORTED"));
            assertThat(v.supported()).isEqualTo(expected.equals("SUPPORTED"));
        }

        @Test
        void version_below_its_own_minimum_release_is_unsupported_and_names_it() {
            CompatibilityVerdict v = catalog.compatibility(new AspectsVersion(2, 5, 0), new ReleaseName("redwood"));
            assertThat(v).isInstanceOf(CompatibilityVerdict.Unsupported.class);
            assertThat(v.reason()).contains("Sumac");
        }

        @Test
        void verdict_reasons_cite_the_ranges() {
            assertThat(catalog.compatibility(new AspectsVersion(1, 3, 2), new ReleaseName("sumac")).reason())
                    .contains("Nutmeg through Quince").contains("Nutmeg through Sumac");
            assertThat(catalog.compatibility(new AspectsVersion(7, 0, 0), new ReleaseName("sumac")))
                    .isInstanceOf(CompatibilityVerdict.Unsupported.class)
                    .extracting(CompatibilityVerdict::reason).asString().contains("7.x");
        }

        @Test
        void compatibility_with_unknown_release_is_an_unknown_name() {
            assertThatThrownBy(() -> catalog.compatibility(new AspectsVersion(2, 5, 3), new ReleaseName("willow")))
                    .isInstanceOf(PlanningException.class).hasMessageContaining("willow");
        }

        @Test
        void renames_1_to_2_has_30_entries_7_deprecated() {
            List<TableRename> renames = catalog.renames(1, 2);
            assertThat(renames).hasSize(30);
            assertThat(renames).filteredOn(TableRename::deprecated).hasSize(7);
            assertThat(renames).anySatisfy(r -> {
                assertThat(r.oldTable()).isEqualTo("event_sink.course_names");
                assertThat(r.newTable()).contains("event_sink.dim_course_names");
            });
            assertThat(renames).extracting(TableRename::toString).contains("event_sink.course_names -> event_sink.dim_course_names");
            assertThat(renames).filteredOn(TableRename::deprecated)
                    .allSatisfy(r -> assertThat(r.toString()).endsWith("-> DEPRECATED"));
        }

        @Test
        void renames_without_a_map_are_empty() {
            assertThat(catalog.renames(2, 3)).isEmpty();
            assertThat(catalog.renames(2, 1)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- overlays

    @Nested
    class Overlays {
        @Test
        void overlay_adding_willow_makes_it_resolvable_and_last() {
            ReleaseCatalog withWillow = catalog.overlay(resource("willow.json"));
            Release last = withWillow.releases().get(withWillow.releases().size() - 1);
            assertThat(last.name().value()).isEqualTo("willow");
            assertThat(last.ordinal()).isEqualTo(24);
            assertThat(last.tutor().major()).isEqualTo(23);
            assertThat(withWillow.resolve("willow")).isEqualTo(ReleasePoint.of("willow", "2"));
            assertThat(withWillow.resolve("release/willow.1")).isEqualTo(ReleasePoint.of("willow", "1"));
            assertThat(withWillow.resolve("23.0.1")).isEqualTo(ReleasePoint.of("willow", "1"));
            assertThat(withWillow.next(withWillow.release(new ReleaseName("verawood"))).map(Release::name))
                    .contains(new ReleaseName("willow"));
            assertThat(withWillow.releases()).hasSize(catalog.releases().size() + 1);
            assertThat(withWillow.source()).contains("bundled").contains("willow.json");
        }

        @Test
        void overlay_does_not_change_the_base_catalog() {
            catalog.overlay(resource("willow.json"));
            assertThat(catalog.find(new ReleaseName("willow"))).isEmpty();
            assertThatThrownBy(() -> catalog.resolve("willow")).isInstanceOf(PlanningException.class);
        }

        @Test
        void stream_overlay_adds_willow_too() throws IOException {
            try (InputStream in = Files.newInputStream(resource("willow.json"))) {
                ReleaseCatalog withWillow = catalog.overlay(in, "willow-stream");
                assertThat(withWillow.releases().get(withWillow.releases().size() - 1).name().value()).isEqualTo("willow");
                assertThat(withWillow.source()).contains("willow-stream");
            }
        }

        @Test
        void overlay_correcting_one_fact_changes_only_that_field() {
            ReleaseCatalog corrected = catalog.overlay(stream(
                    "{\"releases\":[{\"name\":\"ulmo\",\"tutor\":{\"pin\":\"21.0.9\"}}]}"), "fix.json");
            Release before = catalog.release(new ReleaseName("ulmo"));
            Release after = corrected.release(new ReleaseName("ulmo"));
            assertThat(after.tutor().pin()).isEqualTo(new TutorVersion(21, 0, 9));
            assertThat(after.tutor().major()).isEqualTo(21);
            assertThat(after.tutor().pipPackage()).isEqualTo(before.tutor().pipPackage());
            assertThat(after).usingRecursiveComparison().ignoringFields("tutor.pin").isEqualTo(before);
            assertThat(corrected.releases()).hasSameSizeAs(catalog.releases());
            for (int i = 0; i < catalog.releases().size(); i++) {
                Release r = catalog.releases().get(i);
                if (!r.name().value().equals("ulmo")) {
                    assertThat(corrected.releases().get(i)).isEqualTo(r);
                }
            }
        }

        @Test
        void overlay_correcting_a_nested_datastore_keeps_its_siblings() throws IOException {
            Path file = write("search.json", "{\"releases\":[{\"name\":\"koa\",\"datastores\":{\"search\":{\"version\":\"1.5.3\"}}}]}");
            Release koa = catalog.overlay(file).release(new ReleaseName("koa"));
            assertThat(koa.datastores().search()).isEqualTo(new SearchEngine("elasticsearch", "1.5.3"));
            assertThat(koa.datastores().redis()).contains("6.0.9");
            assertThat(koa.datastores().mysql()).isEqualTo("5.7.32");
        }

        @Test
        void overlay_pin_outside_the_major_is_rejected_naming_release_and_pin() throws IOException {
            CatalogException e = overlayFails("badpin.json", "{\"releases\":[{\"name\":\"ulmo\",\"tutor\":{\"pin\":\"22.0.0\"}}]}");
            assertThat(e.getMessage()).contains("release 'ulmo'").contains("22.0.0").contains("21");
        }

        @Test
        void overlay_correcting_an_aspects_line_range() {
            ReleaseCatalog corrected = catalog.overlay(stream(
                    "{\"aspects\":{\"lines\":[{\"major\":2,\"toleratedTo\":\"verawood\"}]}}"), "aspects-fix.json");
            AspectsLine two = corrected.aspectsLine(2).orElseThrow();
            assertThat(two.toleratedTo()).contains(new ReleaseName("verawood"));
            assertThat(two.documentedTo()).contains(new ReleaseName("teak"));
            assertThat(two.clickhouse()).isEqualTo(catalog.aspectsLine(2).orElseThrow().clickhouse());
            assertThat(corrected.compatibility(new AspectsVersion(2, 5, 3), new ReleaseName("verawood")))
                    .isInstanceOf(CompatibilityVerdict.Tolerated.class);
            assertThat(catalog.compatibility(new AspectsVersion(2, 5, 3), new ReleaseName("verawood")))
                    .isInstanceOf(CompatibilityVerdict.Unsupported.class);
            assertThat(corrected.aspectsLines()).hasSameSizeAs(catalog.aspectsLines());
        }

        @Test
        void overlay_extending_a_documented_range() {
            ReleaseCatalog corrected = catalog.overlay(stream(
                    "{\"aspects\":{\"lines\":[{\"major\":3,\"documentedTo\":\"verawood\"}]}}"), "aspects3.json");
            assertThat(corrected.compatibility(new AspectsVersion(3, 0, 3), new ReleaseName("verawood")))
                    .isInstanceOf(CompatibilityVerdict.Supported.class);
            assertThat(corrected.aspectsLine(3).orElseThrow().documentedRange()).isEqualTo("Ulmo through Verawood");
        }

        @Test
        void overlay_adding_an_aspects_version_and_correcting_an_estimate() {
            ReleaseCatalog corrected = catalog.overlay(stream("""
                    {"estimates": {"build.default": "PT20M"},
                     "aspects": {"versions": [{"version": "2.5.4", "date": "2026-08-01", "clickhouse": "25.8",
                                               "dbt": "v4.2.0", "superset": "4.1.2", "minRelease": "sumac"}]}}
                    """), "more.json");
            assertThat(corrected.resolveAspects("2.x").version()).isEqualTo(new AspectsVersion(2, 5, 4));
            assertThat(corrected.estimates().of("build.default")).hasMinutes(20);
            assertThat(corrected.estimates().of("default")).isEqualTo(catalog.estimates().of("default"));
        }

        @Test
        void overlays_apply_in_order() throws IOException {
            Path second = write("second.json", "{\"releases\":[{\"name\":\"willow\",\"python\":\"3.13.1\"}]}");
            ReleaseCatalog c = catalog.overlay(resource("willow.json")).overlay(second);
            Release willow = c.release(new ReleaseName("willow"));
            assertThat(willow.python()).isEqualTo("3.13.1");
            assertThat(willow.tutor().major()).isEqualTo(23);
        }
    }

    // ---------------------------------------------------------------- malformed catalogs

    @Nested
    class Malformed {
        @Test
        void not_json_names_file_and_line() throws IOException {
            CatalogException e = overlayFails("broken.json", "{\n  \"releases\": [\n    {\"name\": \"willow\",,}\n  ]\n}\n");
            assertThat(e.getMessage()).contains("not valid JSON").contains("line 3");
        }

        @Test
        void truncated_json_is_rejected() throws IOException {
            CatalogException e = overlayFails("truncated.json", "{\"releases\": [");
            assertThat(e.getMessage()).contains("line");
        }

        @Test
        void top_level_array_is_rejected() throws IOException {
            CatalogException e = overlayFails("array.json", "[1, 2]");
            assertThat(e.getMessage()).contains("object");
        }

        @Test
        void missing_field_names_entry_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).remove("tagPrefix");
            CatalogException e = overlayFails("willow-notag.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'tagPrefix'").contains("missing");
        }

        @Test
        void missing_nested_field_names_entry_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            ((ObjectNode) willowEntry(overlay).get("tutor")).remove("major");
            CatalogException e = overlayFails("willow-nomajor.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("tutor").contains("'major'").contains("missing");
        }

        @Test
        void missing_tutor_object_names_entry_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).remove("tutor");
            CatalogException e = overlayFails("willow-notutor.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'tutor'");
        }

        @Test
        void wrong_type_names_entry_field_and_value() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("ordinal", "twenty-four");
            CatalogException e = overlayFails("willow-type.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'ordinal'").contains("integer")
                    .contains("twenty-four");
        }

        @Test
        void fractional_ordinal_is_rejected() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("ordinal", 24.5);
            CatalogException e = overlayFails("willow-frac.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'ordinal'");
        }

        @Test
        void points_not_an_array_is_rejected() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("points", "1,2");
            CatalogException e = overlayFails("willow-points.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'points'").contains("array");
        }

        @Test
        void empty_points_are_rejected() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).putArray("points");
            CatalogException e = overlayFails("willow-nopoints.json", overlay);
            assertThat(e.getMessage()).contains("willow").contains("point");
        }

        @Test
        void bad_date_names_entry_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("released", "2027-13-45");
            CatalogException e = overlayFails("willow-date.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'released'").contains("2027-13-45");
        }

        @Test
        void bad_point_date_names_the_point() throws IOException {
            ObjectNode overlay = willowOverlay();
            ((ObjectNode) willowEntry(overlay).get("points").get(1)).put("date", "March 2027");
            CatalogException e = overlayFails("pointdate.json", overlay);
            assertThat(e.getMessage()).contains("point '2'").contains("'date'").contains("March 2027")
                    .as("names the release the point belongs to").contains("willow");
        }

        @Test
        void bad_tutor_version_names_the_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            ((ObjectNode) willowEntry(overlay).get("tutor")).put("pin", "twenty-three");
            CatalogException e = overlayFails("willow-pin.json", overlay);
            assertThat(e.getMessage()).contains("'pin'").contains("twenty-three");
        }

        @Test
        void bad_release_name_is_rejected() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("name", "Willow-2");
            CatalogException e = overlayFails("willow-name.json", overlay);
            assertThat(e.getMessage()).contains("'name'").contains("Willow-2");
        }

        @Test
        void unknown_release_in_available_from_names_action_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            ObjectNode action = ((ArrayNode) willowEntry(overlay).get("leaving")).addObject();
            action.put("id", "xylem-prep");
            action.put("kind", "manual");
            action.put("phase", "before_launch");
            action.put("summary", "Prepare for Xylem.");
            action.put("migratesData", false);
            action.put("availableFrom", "xylem");
            action.put("source", "test");
            CatalogException e = overlayFails("willow-avail.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'xylem-prep'")
                    .contains("'availableFrom'").contains("xylem");
        }

        @Test
        void unknown_enum_value_lists_the_valid_ones() throws IOException {
            ObjectNode overlay = willowOverlay();
            ObjectNode action = ((ArrayNode) willowEntry(overlay).get("leaving")).addObject();
            action.put("id", "odd");
            action.put("kind", "sorcery");
            action.put("phase", "before_launch");
            action.put("summary", "x");
            action.put("migratesData", false);
            action.put("source", "test");
            CatalogException e = overlayFails("kind.json", overlay);
            assertThat(e.getMessage()).contains("action 'odd'").contains("'kind'").contains("sorcery").contains("MANUAL")
                    .as("names the release the action belongs to").contains("willow");
        }

        @Test
        void duplicate_ordinal_names_both_releases() throws IOException {
            ObjectNode overlay = willowOverlay();
            willowEntry(overlay).put("ordinal", 23);
            CatalogException e = overlayFails("willow-dup.json", overlay);
            assertThat(e.getMessage()).contains("'verawood'").contains("'willow'").contains("ordinal 23");
        }

        @Test
        void tutor_major_not_increasing_names_release_and_field() throws IOException {
            ObjectNode overlay = willowOverlay();
            ObjectNode tutor = (ObjectNode) willowEntry(overlay).get("tutor");
            tutor.put("major", 22);
            tutor.put("pin", "22.0.1");
            CatalogException e = overlayFails("willow-major.json", overlay);
            assertThat(e.getMessage()).contains("release 'willow'").contains("'tutor.major'").contains("22")
                    .contains("verawood");
        }

        @Test
        void unknown_top_level_field_is_rejected() throws IOException {
            CatalogException e = overlayFails("typo.json", "{\"relases\": []}");
            assertThat(e.getMessage()).contains("'relases'").contains("releases");
        }

        @Test
        void misspelt_release_field_is_rejected_with_a_suggestion() throws IOException {
            CatalogException e = overlayFails("typo-field.json", "{\"releases\":[{\"name\":\"ulmo\",\"tutr\":{\"pin\":\"21.0.9\"}}]}");
            assertThat(e.getMessage()).contains("release 'ulmo'").contains("'tutr'").contains("'tutor'");
        }

        @Test
        void unknown_aspects_field_is_rejected() throws IOException {
            CatalogException e = overlayFails("aspects-typo.json", "{\"aspects\": {\"line\": []}}");
            assertThat(e.getMessage()).contains("'aspects.line'");
        }

        @Test
        void unknown_release_in_aspects_line_is_rejected() throws IOException {
            CatalogException e = overlayFails("aspects-range.json",
                    "{\"aspects\":{\"lines\":[{\"major\":2,\"toleratedTo\":\"xylem\"}]}}");
            assertThat(e.getMessage()).contains("line 2").contains("'toleratedTo'").contains("xylem");
        }

        @Test
        void aspects_version_without_a_line_is_rejected() throws IOException {
            CatalogException e = overlayFails("aspects-nine.json", """
                    {"aspects": {"versions": [{"version": "9.0.0", "clickhouse": "25.8", "dbt": "x",
                                               "superset": "y", "minRelease": "verawood"}]}}
                    """);
            assertThat(e.getMessage()).contains("9.0.0").contains("major 9");
        }

        @Test
        void wrong_format_number_is_rejected() throws IOException {
            CatalogException e = overlayFails("format3.json", "{\"format\": 3, \"releases\": []}");
            assertThat(e.getMessage()).contains("'format'").contains("3").contains("format 2");
        }

        @Test
        void overlay_entry_without_its_key_is_rejected() throws IOException {
            CatalogException e = overlayFails("nokey.json", "{\"releases\": [{\"ordinal\": 24}]}");
            assertThat(e.getMessage()).contains("releases[0]").contains("'name'").contains("missing");
        }

        @Test
        void aspects_line_without_its_key_is_rejected() throws IOException {
            CatalogException e = overlayFails("nomajor.json", "{\"aspects\": {\"lines\": [{\"toleratedTo\": \"ulmo\"}]}}");
            assertThat(e.getMessage()).contains("aspects.lines[0]").contains("'major'");
        }

        @Test
        void overlay_releases_not_an_array_is_rejected() throws IOException {
            CatalogException e = overlayFails("releases-object.json", "{\"releases\": {\"name\": \"willow\"}}");
            assertThat(e.getMessage()).contains("'releases'").contains("array");
        }

        @Test
        void missing_overlay_file_names_the_path() {
            Path missing = dir.resolve("nope").resolve("absent.json");
            assertThatThrownBy(() -> catalog.overlay(missing))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("no such file");
        }

        @Test
        void missing_catalog_file_names_the_path() {
            Path missing = dir.resolve("absent-catalog.json");
            assertThatThrownBy(() -> ReleaseCatalog.load(missing))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining(missing.toString());
        }

        @Test
        void stream_overlay_errors_name_the_stream() {
            assertThatThrownBy(() -> catalog.overlay(stream("{\"format\": \"one\"}"), "my-stream"))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("my-stream")
                    .hasMessageContaining("'format'");
        }
    }

    // ---------------------------------------------------------------- complete catalogs (load/read)

    @Nested
    class CompleteCatalogs {
        @Test
        void load_reads_a_complete_catalog_and_sorts_by_ordinal() {
            ReleaseCatalog c = ReleaseCatalog.load(resource("minimal-catalog.json"));
            assertThat(c.releases()).extracting(r -> r.name().value()).containsExactly("koa", "lilac");
            assertThat(c.source()).contains("minimal-catalog.json");
            assertThat(c.resolve("lilac")).isEqualTo(ReleasePoint.of("lilac", "2"));
            assertThat(c.resolve("koa")).isEqualTo(ReleasePoint.of("koa", "1"));
            assertThat(c.release(new ReleaseName("koa")).released()).isEmpty();
            assertThat(c.release(new ReleaseName("koa")).datastores().redis()).isEmpty();
            assertThat(c.release(new ReleaseName("koa")).images()).isEmpty();
            assertThat(c.aspectsReleases()).isEmpty();
            assertThat(c.renames(1, 2)).isEmpty();
            assertThatThrownBy(() -> c.resolveAspects("2.x")).isInstanceOf(PlanningException.class);
            assertThat(c.compatibility(new AspectsVersion(2, 0, 0), new ReleaseName("koa")))
                    .isInstanceOf(CompatibilityVerdict.Unsupported.class);
        }

        @Test
        void read_from_stream_names_the_source() throws IOException {
            try (InputStream in = Files.newInputStream(resource("minimal-catalog.json"))) {
                assertThat(ReleaseCatalog.read(in, "custom-name").source()).isEqualTo("custom-name");
            }
        }

        @Test
        void complete_catalog_without_estimates_is_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            tree.remove("estimates");
            Path file = write("noestimates.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("noestimates.json")
                    .hasMessageContaining("'estimates'");
        }

        @Test
        void estimates_without_default_are_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            tree.putObject("estimates").put("launch", "PT5M");
            Path file = write("nodefault.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("nodefault.json")
                    .hasMessageContaining("default");
        }

        @Test
        void bad_duration_names_the_estimate() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            ((ObjectNode) tree.get("estimates")).put("launch", "15 minutes");
            Path file = write("badduration.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("badduration.json")
                    .hasMessageContaining("'launch'")
                    .hasMessageContaining("15 minutes");
        }

        @Test
        void duplicate_release_name_is_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            ArrayNode releases = (ArrayNode) tree.get("releases");
            ObjectNode copy = releases.get(0).deepCopy();
            copy.put("ordinal", 14);
            ((ObjectNode) copy.get("tutor")).put("major", 13).put("pin", "13.0.0");
            releases.add(copy);
            Path file = write("dupname.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("dupname.json")
                    .hasMessageContaining("'lilac'")
                    .hasMessageContaining("twice");
        }

        @Test
        void unknown_top_level_field_in_a_complete_catalog_is_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            tree.set("relases", tree.get("releases"));
            Path file = write("typo-complete.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("typo-complete.json")
                    .hasMessageContaining("'relases'");
        }

        @Test
        void complete_catalog_without_releases_is_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            tree.remove("releases");
            Path file = write("noreleases.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("noreleases.json")
                    .hasMessageContaining("'releases'");
        }

        @Test
        void not_json_complete_catalog_names_file_and_line() throws IOException {
            Path file = write("garbage.json", "format: 1\nreleases: []\n");
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("garbage.json")
                    .hasMessageContaining("line 1");
        }

        @Test
        void wrong_format_in_a_complete_catalog_is_rejected() throws IOException {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(Files.readString(resource("minimal-catalog.json")));
            tree.put("format", 3);
            Path file = write("format3.json", tree);
            assertThatThrownBy(() -> ReleaseCatalog.load(file))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageContaining("format3.json")
                    .hasMessageContaining("'format'");
        }
    }

    @Test
    void messages_of_unknown_names_are_single_line() {
        for (String typed : List.of("liliac", "koa.9", "9.1.0", "", "1.2.3.4.5")) {
            PlanningException e = unknownName(catalog, typed);
            assertThat(e.getMessage()).as(typed).doesNotContain("\n");
        }
    }

    @Test
    void every_bundled_tutor_pin_resolves_back_to_its_release() {
        Map<String, String> mismatches = catalog.releases().stream()
                .filter(r -> !catalog.resolve(r.tutor().pin().toString()).release().equals(r.name()))
                .collect(Collectors.toMap(r -> r.name().value(), r -> catalog.resolve(r.tutor().pin().toString()).toString()));
        assertThat(mismatches).isEmpty();
        Optional<Release> none = catalog.releaseForTutor(new TutorVersion(9, 1, 0));
        assertThat(none).isEmpty();
    }
}
