// Plans Koa to Olive (stepwise) and prints the summary and the first steps.
// Run: jshell --class-path "$(./arborist classpath)" examples/jshell/plan.jsh
import io.arborist.core.plan.*;
import io.arborist.core.release.*;

var catalog = ReleaseCatalog.bundled();
var plan = UpgradePlanner.create(catalog).plan("koa", "olive");
System.out.println(plan);
System.out.println("image builds: " + plan.summary().imageBuilds() + " planned, " + plan.summary().naiveImageBuilds() + " naive");
plan.steps().stream().limit(8).forEach(s -> System.out.println(s.id() + "  " + s.kind() + "  " + s.title()));
/exit
