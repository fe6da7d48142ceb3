package io.arborist.core.plan;

import io.arborist.core.PlanningException;
import io.arborist.core.release.ReleaseCatalog;
import java.util.Objects;

/**
 * Plans an Open edX (and Aspects) upgrade from an installation to a target, as an ordered list of explained steps.
 *
 * <pre>{@code
 * UpgradePlanner planner = UpgradePlanner.create(ReleaseCatalog.bundled());
 * UpgradePlan plan = planner.plan("koa", "olive");             // stepwise, local, no Aspects
 * System.out.println(plan.toMarkdown());
 * }</pre>
 *
 * <p>Rules it honours: one named release at a time at its newest Tutor-shipped point ({@link Strategy#STEPWISE}),
 * or Tutor's multi-release jumps with only the required stops ({@link Strategy#WAYPOINTS}); a backup before every
 * data-migrating step, kept to the end; {@code config save} then an explicit {@code upgrade --from}; datastore
 * waypoints, with the steps Tutor only prints on Kubernetes as manual steps; the custom theme only in the last
 * build; Aspects majors only on releases that support them, interleaved with the platform hops.
 *
 * <p>Immutable and thread-safe. Impossible requests throw one {@link PlanningException} and plan nothing.
 *
 * @since 0.1
 */
public final class UpgradePlanner {
    private final ReleaseCatalog catalog;

    private UpgradePlanner(ReleaseCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param catalog releases and facts to plan with
     * @return a planner
     */
    public static UpgradePlanner create(ReleaseCatalog catalog) {
        return new UpgradePlanner(Objects.requireNonNull(catalog, "catalog"));
    }

    /** @return the catalog this planner uses */
    public ReleaseCatalog catalog() {
        return catalog;
    }

    /**
     * Plans with the default options (stepwise).
     *
     * @param from the installation
     * @param to the target
     * @return the plan
     * @throws PlanningException when the upgrade is impossible
     */
    public UpgradePlan plan(Installation from, Target to) {
        return plan(from, to, PlanOptions.defaults());
    }

    /**
     * @param from the installation
     * @param to the target
     * @param options planner settings
     * @return the plan
     * @throws PlanningException when the upgrade is impossible
     */
    public UpgradePlan plan(Installation from, Target to, PlanOptions options) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(options, "options");
        return new PlanBuilder(catalog, from, to, options).build().calibrated(options.calibration());
    }

    /**
     * JShell-friendly form: a local installation without Aspects, stepwise.
     *
     * @param from what the user typed for the installed release ({@code koa}, {@code open-release/koa.3}, {@code 11.3.1})
     * @param to what the user typed for the target release
     * @return the plan
     * @throws PlanningException when a name is unknown or the upgrade impossible
     */
    public UpgradePlan plan(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return plan(Installation.of(catalog.resolve(from)), Target.of(catalog.resolve(to)));
    }
}
