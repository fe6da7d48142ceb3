// Rewrites SQL written for Aspects 1.x to the 2.x table names and reports deprecated models.
// Run: jshell --class-path "$(./arborist classpath)" examples/jshell/rewrite.jsh
import io.arborist.core.aspects.*;

var rewriter = SqlReferenceRewriter.builder().renames(SchemaRenameMap.bundled(1, 2)).build();
var result = rewriter.rewrite("select * from reporting.fact_learner_course_grade g join reporting.fact_navigation n using (actor_id) -- xapi.responses");
System.out.println(result.sql());
System.out.println(result.report());
/exit
