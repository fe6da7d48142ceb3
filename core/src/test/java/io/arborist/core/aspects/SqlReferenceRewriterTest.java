package io.arborist.core.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SqlReferenceRewriterTest {
    static final SqlReferenceRewriter V1_TO_V2 = SqlReferenceRewriter.builder().renames(SchemaRenameMap.bundled(1, 2)).build();

    /** Golden files: NAME.sql in, NAME.expected.sql out, NAME.report.txt the report. Set -Dgolden.update=DIR to rewrite them. */
    @ParameterizedTest
    @ValueSource(strings = {"fact_learner_engagement", "superset_dataset"})
    void golden(String name) throws IOException {
        RewriteResult r = V1_TO_V2.rewrite(read(name + ".sql"));
        String update = System.getProperty("golden.update");
        if (update != null) {
            Files.writeString(Path.of(update, name + ".expected.sql"), r.sql());
            Files.writeString(Path.of(update, name + ".report.txt"), r.report());
        }
        assertThat(r.sql()).isEqualTo(read(name + ".expected.sql"));
        assertThat(r.report()).isEqualTo(read(name + ".report.txt"));
    }

    @Test
    void keeps_quoting_literals_and_comments() {
        RewriteResult r = V1_TO_V2.rewrite("select 'xapi.responses', `xapi`.`responses`.x -- xapi.responses\nfrom \"xapi\".responses /* xapi.responses */");
        assertThat(r.sql()).isEqualTo("select 'xapi.responses', `reporting`.`dim_learner_response_attempt`.x -- xapi.responses\n"
                + "from \"reporting\".dim_learner_response_attempt /* xapi.responses */");
        assertThat(r.replacements()).extracting(Replacement::line, Replacement::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 26), org.assertj.core.groups.Tuple.tuple(2, 6));
    }

    @Test
    void reports_deprecated_with_line_and_column_and_leaves_them() {
        RewriteResult r = V1_TO_V2.rewrite("select *\n  from reporting.fact_navigation");
        assertThat(r.sql()).contains("reporting.fact_navigation");
        assertThat(r.deprecated()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.column()).isEqualTo(8);
            assertThat(d.model()).isEqualTo("reporting.fact_navigation");
        });
    }

    @Test
    void database_renames_apply_to_every_qualified_name() {
        SqlReferenceRewriter rw = SqlReferenceRewriter.builder().renameDatabase("xapi", "xapi_copy").build();
        assertThat(rw.rewrite("CREATE MATERIALIZED VIEW xapi.mv TO xapi.`t` AS SELECT a FROM xapi.src WHERE s = 'xapi.src'").sql())
                .isEqualTo("CREATE MATERIALIZED VIEW xapi_copy.mv TO xapi_copy.`t` AS SELECT a FROM xapi_copy.src WHERE s = 'xapi.src'");
    }

    @Test
    void reports_successors_that_a_later_list_removes() {
        SqlReferenceRewriter rw = V1_TO_V2.toBuilder().alsoDeprecated(DeprecatedModels.bundledLatest()).build();
        RewriteResult r = rw.rewrite("select * from xapi.responses");
        assertThat(r.sql()).isEqualTo("select * from reporting.dim_learner_response_attempt");
        assertThat(r.deprecated()).singleElement().extracting(DeprecatedReference::model).isEqualTo("reporting.dim_learner_response_attempt");
    }

    @Test
    void unterminated_input_does_not_fail() {
        assertThat(V1_TO_V2.rewrite("select 'abc from xapi.responses").changed()).isFalse();
        assertThat(V1_TO_V2.rewrite("/* xapi.responses").changed()).isFalse();
    }

    private static String read(String name) throws IOException {
        try (InputStream in = SqlReferenceRewriterTest.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                return "";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
