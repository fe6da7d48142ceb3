package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import java.util.List;

/** Uses the real Aspects database names: this class owns xapi, event_sink and reporting on each shared server. */
class AspectsSchemaToolIT {
    /** A v1-shaped schema (Aspects 1.x table names), with the column types of the server's era. */
    static void oldSchema(TestClickHouse server) {
        String time = server.modern() ? "DateTime64(6)" : "DateTime";
        server.run("CREATE DATABASE IF NOT EXISTS xapi", "CREATE DATABASE IF NOT EXISTS event_sink", "CREATE DATABASE IF NOT EXISTS reporting",
                "CREATE TABLE xapi.xapi_events_all (event_id UUID, emission_time " + time + ", actor_id String, verb_id String) ENGINE = MergeTree"
                        + " ORDER BY emission_time",
                "CREATE TABLE xapi.responses (emission_time " + time + ", actor_id String) ENGINE = ReplacingMergeTree ORDER BY actor_id",
                "CREATE MATERIALIZED VIEW xapi.responses_mv TO xapi.responses AS SELECT emission_time, actor_id FROM xapi.xapi_events_all",
                "CREATE TABLE event_sink.course_names (course_key String, course_name String) ENGINE = MergeTree ORDER BY course_key",
                "INSERT INTO event_sink.course_names VALUES ('c1', 'One'), ('c2', 'Two')",
                "CREATE TABLE reporting.fact_enrollment_status (a UInt8) ENGINE = MergeTree ORDER BY a",
                "CREATE TABLE reporting.dim_most_recent_enrollment (a UInt8) ENGINE = MergeTree ORDER BY a",
                "CREATE VIEW reporting.fact_navigation AS SELECT actor_id FROM xapi.xapi_events_all",
                "CREATE VIEW reporting.custom_dashboard AS SELECT count() AS n FROM reporting.fact_navigation");
    }

    @EachEngine
    void inspects_applies_is_idempotent_inverts_and_guards_removal(TestClickHouse server) {
        oldSchema(server);
        AspectsSchemaTool tool = AspectsSchemaTool.builder(server.admin()).build();

        List<RenameStatus> status = tool.inspect();
        RenameStatus responses = status.stream().filter(s -> s.entry().oldTable().equals("xapi.responses")).findFirst().orElseThrow();
        assertThat(responses.state()).isEqualTo(RenameStatus.State.TO_RENAME);
        assertThat(responses.dependents()).containsExactly("xapi.responses_mv");
        assertThat(status).filteredOn(s -> s.entry().oldTable().equals("reporting.fact_enrollment_status")).singleElement()
                .extracting(RenameStatus::state).isEqualTo(RenameStatus.State.CONFLICT);
        assertThat(status).filteredOn(s -> s.entry().oldTable().equals("reporting.fact_navigation")).singleElement()
                .extracting(RenameStatus::state).isEqualTo(RenameStatus.State.DEPRECATED);

        RenamePlan dry = tool.applyRenames(false);
        assertThat(dry.applied()).isFalse();
        assertThat(dry.statements()).contains("RENAME TABLE `xapi`.`responses` TO `reporting`.`dim_learner_response_attempt`",
                "RENAME TABLE `event_sink`.`course_names` TO `event_sink`.`dim_course_names`");
        assertThat(server.value("EXISTS TABLE xapi.responses")).as("dry run changes nothing").isEqualTo("1");

        RenamePlan applied = tool.applyRenames(true);
        assertThat(applied.applied()).isTrue();
        assertThat(server.value("SELECT count() FROM event_sink.dim_course_names")).as("data moved, not rebuilt").isEqualTo("2");
        assertThat(server.value("EXISTS TABLE xapi.responses")).isEqualTo("0");
        assertThat(tool.applyRenames(true).noOp()).as("second apply is a no-op").isTrue();

        for (String sql : applied.inverse()) {
            server.run(sql);
        }
        assertThat(server.value("SELECT count() FROM event_sink.course_names")).as("inverse plan restores the old names").isEqualTo("2");
        assertThat(tool.applyRenames(false).statements()).isEqualTo(applied.statements());

        RemovalPlan removal = tool.removeDeprecated(false, false);
        assertThat(removal.statements()).contains("DROP TABLE IF EXISTS `reporting`.`fact_navigation`");
        assertThat(removal.blockers()).containsEntry("reporting.fact_navigation", List.of("reporting.custom_dashboard"));
        assertThatThrownBy(() -> tool.removeDeprecated(true, false)).isInstanceOf(ArboristException.class)
                .hasMessageContaining("reporting.custom_dashboard");
        assertThat(server.value("EXISTS TABLE reporting.fact_navigation")).isEqualTo("1");
        assertThat(tool.removeDeprecated(true, true).applied()).isTrue();
        assertThat(server.value("EXISTS TABLE reporting.fact_navigation")).isEqualTo("0");
    }
}
