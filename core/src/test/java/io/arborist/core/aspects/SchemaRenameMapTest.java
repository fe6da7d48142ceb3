package io.arborist.core.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaRenameMapTest {
    /** The v1 -> v2 table of openedx-aspects 02_upgrade.rst (releases.md 4.7), typed in independently of the catalog. */
    static final Map<String, String> SEED = new LinkedHashMap<>();

    static {
        String rows = """
                event_sink.course_block_names reporting.dim_course_block_names
                event_sink.course_names event_sink.dim_course_names
                event_sink.course_tags reporting.dim_most_recent_course_tags
                reporting.dim_course_blocks_extended DEPRECATED
                reporting.fact_enrollment_status reporting.dim_most_recent_enrollment
                xapi.fact_instance_enrollments reporting.fact_instance_enrollments
                reporting.fact_learner_course_grade reporting.dim_learner_most_recent_course_grade
                reporting.fact_learner_course_status reporting.dim_learner_most_recent_course_state
                xapi.fact_learner_last_course_visit reporting.dim_learner_last_course_visit
                reporting.fact_navigation DEPRECATED
                reporting.fact_problem_responses DEPRECATED
                reporting.fact_student_status reporting.dim_student_status
                reporting.int_pages_per_subsection DEPRECATED
                reporting.int_problem_hints DEPRECATED
                reporting.int_problem_results reporting.fact_learner_response_attempts
                reporting.int_problems_per_subsection DEPRECATED
                reporting.int_videos_per_subsection reporting.fact_videos_per_subsection
                event_sink.most_recent_course_blocks event_sink.dim_most_recent_course_blocks
                reporting.most_recent_course_tags DEPRECATED
                event_sink.most_recent_object_tags event_sink.dim_most_recent_object_tags
                event_sink.most_recent_tags event_sink.dim_most_recent_tags
                event_sink.most_recent_taxonomies event_sink.dim_most_recent_taxonomies
                xapi.responses reporting.dim_learner_response_attempt
                xapi.section_page_engagement reporting.fact_section_page_engagement
                xapi.section_problem_engagement reporting.fact_section_problem_engagement
                xapi.section_video_engagement reporting.fact_section_video_engagement
                xapi.subsection_page_engagement reporting.fact_subsection_page_engagement
                xapi.subsection_problem_engagement reporting.fact_subsection_problem_engagement
                xapi.subsection_video_engagement reporting.fact_subsection_video_engagement
                reporting.watched_video_duration reporting.fact_watched_video_duration
                """;
        rows.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> SEED.put(l.split(" ")[0], l.split(" ")[1]));
    }

    @Test
    void every_seed_row_maps() {
        SchemaRenameMap map = SchemaRenameMap.bundled(1, 2);
        assertThat(map.entries()).hasSize(SEED.size());
        SEED.forEach((old, neu) -> {
            TableRename e = map.find(old).orElseThrow(() -> new AssertionError(old + " missing"));
            assertThat(e.newTable()).as(old).isEqualTo(neu.equals("DEPRECATED") ? Optional.empty() : Optional.of(neu));
        });
        assertThat(map.deprecated()).hasSize(7);
    }

    @Test
    void inverse_maps_new_names_back_and_leaves_out_deprecated_entries() {
        SchemaRenameMap inverse = SchemaRenameMap.bundled(1, 2).inverse();
        assertThat(inverse.fromMajor()).isEqualTo(2);
        assertThat(inverse.find("reporting.dim_learner_response_attempt").flatMap(TableRename::newTable)).contains("xapi.responses");
        assertThat(inverse.entries()).hasSize(23).noneMatch(TableRename::deprecated);
    }

    @Test
    void ref_names_resolve_only_when_unique() {
        SchemaRenameMap map = SchemaRenameMap.bundled(1, 2);
        assertThat(map.findByTable("responses").map(TableRename::oldTable)).contains("xapi.responses");
        assertThat(map.findByTable("nope")).isEmpty();
        assertThat(SchemaRenameMap.bundled(2, 3).entries()).isEmpty();
    }

    @Test
    void removal_list_is_catalog_data() {
        DeprecatedModels latest = DeprecatedModels.bundledLatest();
        assertThat(latest.id()).isEqualTo("aspects-dbt v8.0.0");
        assertThat(latest.models()).hasSize(59);
        assertThat(latest.find("xapi.responses").orElseThrow().droppedObjects()).extracting(DeprecatedModel.DroppedObject::qualifiedName)
                .containsExactly("xapi.responses_mv", "xapi.responses");
        assertThat(latest.find("event_sink.course_names").orElseThrow().type()).isEqualTo(DeprecatedModel.Type.DICTIONARY);
        assertThat(latest.find("reporting.dim_subsection_performance").orElseThrow().type()).isEqualTo(DeprecatedModel.Type.MATERIALIZED_VIEW);
    }
}
