package io.arborist.core.plan;

import static io.arborist.core.plan.Plans.at;
import static io.arborist.core.plan.Plans.aspects;
import static io.arborist.core.plan.Plans.stepwise;
import static io.arborist.core.plan.Plans.to;
import static io.arborist.core.plan.Plans.waypoints;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.aspects.AspectsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Golden files for the two reference upgrades. After a deliberate change, regenerate with
 * {@code mvn -pl core test -Dtest=PlanGoldenTest -Darborist.updateGolden=true} and review the diff.
 */
class PlanGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    @Test
    void koa_to_olive() throws IOException {
        UpgradePlan plan = stepwise(at("koa"), to("olive"));
        check("koa-to-olive.md", plan.toMarkdown());
        check("koa-to-olive.json", plan.toJson());
        check("koa-to-olive.sh", plan.toShellScript());
    }

    @Test
    void olive_with_aspects_1_to_ulmo_with_aspects_3() throws IOException {
        UpgradePlan plan = stepwise(at("olive").withAspects(aspects("1.3.2")), to("ulmo").withAspects(AspectsVersion.parse("3.0.3")));
        check("olive-aspects1-to-ulmo-aspects3.md", plan.toMarkdown());
        check("olive-aspects1-to-ulmo-aspects3.json", plan.toJson());
    }

    @Test
    void koa_to_olive_on_kubernetes_with_waypoints() throws IOException {
        UpgradePlan plan = waypoints(at("koa").withMode(DeploymentMode.K8S), to("olive"));
        check("koa-to-olive-k8s-waypoints.md", plan.toMarkdown());
    }

    private static void check(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("arborist.updateGolden")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file " + file + " (regenerate with -Darborist.updateGolden=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
