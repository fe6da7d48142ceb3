// Runs the Nutmeg to Olive plan with the dry-run runner and an in-memory journal, then prints the commands.
// Run: jshell --class-path "$(./arborist classpath)" examples/jshell/dry-run.jsh
import io.arborist.core.execute.*;
import io.arborist.core.plan.*;
import io.arborist.core.release.*;
import io.arborist.tutor.*;
import java.util.EnumSet;

var plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("nutmeg", "olive");
var runner = DryRunTutorRunner.create();
var byHand = EnumSet.allOf(BackupTarget.class);  // a dry run migrates nothing: no backup is taken
var report = UpgradeExecutor.builder().tutor(runner).manualSteps(ManualStepHandler.ACCEPT_ALL).backupsTakenByHand(byHand, "dry run").build().execute(plan);
System.out.println("completed: " + report.completed() + ", steps: " + report.outcomes().size());
System.out.print(runner.script());
/exit
