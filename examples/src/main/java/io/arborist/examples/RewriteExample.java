package io.arborist.examples;

import io.arborist.core.aspects.RewriteResult;
import io.arborist.core.aspects.SchemaRenameMap;
import io.arborist.core.aspects.SqlReferenceRewriter;

/** Rewrites a custom dbt model written for Aspects 1.x to the 2.x table names and reports deprecated models. */
public final class RewriteExample {
    private RewriteExample() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        String model = """
                -- weekly enrollments, custom model
                select e.course_key, count(*) as learners
                from {{ source('reporting', 'fact_enrollment_status') }} e
                join event_sink.course_names n on n.course_key = e.course_key
                left join reporting.fact_navigation nav on nav.actor_id = e.actor_id  -- 'reporting.fact_navigation' in a comment stays
                where e.enrollment_status = 'registered'
                group by e.course_key
                """;
        // tag::rewrite[]
        SqlReferenceRewriter rewriter = SqlReferenceRewriter.builder().renames(SchemaRenameMap.bundled(1, 2)).build();
        RewriteResult result = rewriter.rewrite(model);
        System.out.println(result.sql());          // names moved to 2.x; strings and comments untouched
        System.out.println(result.report());       // every change, and every DEPRECATED reference with line:column
        // end::rewrite[]
    }
}
