package io.arborist.examples;

import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.plan.Installation;
import io.arborist.core.plan.PlanOptions;
import io.arborist.core.plan.Strategy;
import io.arborist.core.plan.Target;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.Release;
import io.arborist.core.release.ReleaseCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Plans every pair of catalog releases (both strategies, every deployment mode) after a warm-up and prints the time
 * per plan against the 5 ms target. Run by {@code scripts/bench-plan}.
 */
public final class PlanBenchmark {
    private PlanBenchmark() {
    }

    /**
     * @param args optional number of measured rounds (default 20)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ReleaseCatalog catalog = ReleaseCatalog.bundled();
        UpgradePlanner planner = UpgradePlanner.create(catalog);
        List<Release> releases = catalog.releases();
        List<Object[]> cases = new ArrayList<>();
        for (int i = 0; i < releases.size(); i++) {
            for (int j = i + 1; j < releases.size(); j++) {
                for (Strategy s : Strategy.values()) {
                    for (DeploymentMode m : DeploymentMode.values()) {
                        cases.add(new Object[] {Installation.of(releases.get(i).newest()).withMode(m), Target.of(releases.get(j).newest()),
                                PlanOptions.defaults().withStrategy(s)});
                    }
                }
            }
        }
        long sink = 0;
        for (int w = 0; w < 10; w++) {
            for (Object[] c : cases) {
                sink += planner.plan((Installation) c[0], (Target) c[1], (PlanOptions) c[2]).steps().size();
            }
        }
        long[] perPlanNanos = new long[cases.size() * rounds];
        int k = 0;
        for (int r = 0; r < rounds; r++) {
            for (Object[] c : cases) {
                long t0 = System.nanoTime();
                UpgradePlan plan = planner.plan((Installation) c[0], (Target) c[1], (PlanOptions) c[2]);
                perPlanNanos[k++] = System.nanoTime() - t0;
                sink += plan.steps().size();
            }
        }
        Arrays.sort(perPlanNanos);
        double median = perPlanNanos[perPlanNanos.length / 2] / 1e6;
        double p99 = perPlanNanos[(int) (perPlanNanos.length * 0.99)] / 1e6;
        double max = perPlanNanos[perPlanNanos.length - 1] / 1e6;
        double mean = Arrays.stream(perPlanNanos).average().orElse(0) / 1e6;
        System.out.printf(Locale.ROOT, "warm planning: %d release pairs x %d strategies x %d modes = %d plans, %d rounds (checksum %d)%n",
                releases.size() * (releases.size() - 1) / 2, Strategy.values().length, DeploymentMode.values().length, cases.size(), rounds, sink);
        System.out.printf(Locale.ROOT, "  per plan: median %.3f ms, mean %.3f ms, p99 %.3f ms, max %.3f ms%n", median, mean, p99, max);
        System.out.printf(Locale.ROOT, "  target < 5 ms per plan: median is %.4fx the target, p99 %.4fx (%s)%n", median / 5.0, p99 / 5.0,
                p99 < 5.0 ? "met" : "NOT met");
    }
}
