package io.arborist.core.release;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that must happen when an installation leaves a release: Tutor's release-specific upgrade work (what
 * {@code tutor local upgrade --from=<release>} does) and the work Tutor leaves to the operator. Catalog data, so a
 * corrected fact needs no code change.
 *
 * <p>Commands may contain placeholders: {@code {mode}} (local, dev or k8s), {@code {run}} ({@code run} for compose,
 * {@code exec} on Kubernetes), {@code ${TUTOR_ROOT}} and {@code ${TUTOR_CONFIG:KEY}} (resolved when executed, so no
 * configuration value, secret or not, is ever written into a plan).
 *
 * @param id stable identifier, unique within the release
 * @param kind what kind of work it is
 * @param phase when it happens within the hop
 * @param title a short imperative title for the plan step, if the action becomes one
 * @param summary one sentence for people
 * @param migratesData whether it changes stored data (a backup must cover it)
 * @param k8sManual whether Tutor only prints it on Kubernetes, so it becomes a manual step there
 * @param image the datastore image it moves to ({@code mongo:4.0.25}), for datastore steps
 * @param featureCompatibility the MongoDB featureCompatibilityVersion it sets, for MongoDB steps
 * @param commands commands the operator runs (MANUAL), or runs on Kubernetes when {@code k8sManual}
 * @param k8sCommands commands for Kubernetes when they differ from {@code commands}
 * @param availableFrom the earliest release on which it can run (for work that must happen while passing through)
 * @param required whether the waypoints strategy must stop at {@code availableFrom} to run it
 * @param backups extra datastores to back up before it (for example the search index)
 * @param rollback how to undo it, if there is a way
 * @param source where the fact comes from (repository and path, or document)
 * @since 0.1
 */
public record UpgradeAction(String id, ActionKind kind, ActionPhase phase, Optional<String> title, String summary, boolean migratesData,
                            boolean k8sManual, Optional<String> image, Optional<String> featureCompatibility,
                            List<List<String>> commands, Optional<List<List<String>>> k8sCommands,
                            Optional<ReleaseName> availableFrom, boolean required, List<Datastore> backups,
                            Optional<String> rollback, String source) {
    /** Validates and copies. */
    public UpgradeAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(featureCompatibility, "featureCompatibility");
        commands = commands.stream().map(List::copyOf).toList();
        k8sCommands = k8sCommands.map(c -> c.stream().map(List::copyOf).toList());
        Objects.requireNonNull(availableFrom, "availableFrom");
        backups = List.copyOf(backups);
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(source, "source");
        if (kind == ActionKind.MONGODB && (image.isEmpty() || featureCompatibility.isEmpty())) {
            throw new IllegalArgumentException("MongoDB action '" + id + "' needs an image and a featureCompatibility");
        }
    }
}
