package io.arborist.examples;

import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.plan.AspectsSetup;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.PlanOptions;
import io.arborist.core.plan.Strategy;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;

/** Plans Nutmeg with Aspects 1.3.2 to Ulmo with Aspects 3.x on Kubernetes and prints the Markdown to-do list. */
public final class PlanExample {
    private PlanExample() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        // tag::plan[]
        ReleaseCatalog catalog = ReleaseCatalog.bundled();
        Installation from = Installation.of(catalog.resolve("olive"))
                .withMode(DeploymentMode.K8S)
                .withAspects(AspectsSetup.of(AspectsVersion.parse("1.3.2")))
                .withCustomTheme("mytheme");
        Target to = Target.of(catalog.resolve("ulmo")).withAspects(catalog.resolveAspects("3.x").version());

        UpgradePlan plan = UpgradePlanner.create(catalog)
                .plan(from, to, PlanOptions.defaults().withStrategy(Strategy.STEPWISE));

        System.out.println(plan.summary());
        System.out.println(plan.toMarkdown());            // or plan.toJson(), plan.toShellScript()
        // end::plan[]
    }
}
