package io.arborist.core.release;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Something that must happen when an installation leaves a release: Tutor's release-specific upgrade work (what
 * {@code tutor local upgrade --from=<release>} does) and the work Tutor leaves to the operator. Catalog data, so a
 * corrected fact needs no code change.
 *
 * <p>Commands are argv templates: {@code {mode}} becomes {@code local}, {@code dev} or {@code k8s}; a leading
 * {@code {run:SERVICE}} or {@code {exec:SERVICE}} runs the rest in a one-off or the running container of that service,
 * in the form the installed Tutor accepts; {@code ${TUTOR_ROOT}} and {@code ${TUTOR_CONFIG:KEY}} are resolved when
 * executed, so no configuration value, secret or not, is ever written into a plan (and never spliced into a shell
 * string: a container command that needs a secret reads it from the container's environment).
 *
 * @param id stable identifier, unique within the release
 * @param kind what kind of work it is
 * @param phase when it happens within the hop
 * @param title a short imperative title for the plan step, if the action becomes one
 * @param summary one sentence for people
 * @param migratesData whether it changes stored data (a backup must cover it)
 * @param k8sManual whether Tutor only prints it on Kubernetes, so it becomes a manual step there
 * @param mongo the MongoDB specifics, for MongoDB steps
 * @param commands commands the operator runs (MANUAL), or runs on Kubernetes when {@code k8sManual}
 * @param k8sCommands commands for Kubernetes when they differ from {@code commands}
 * @param availableFrom the earliest release on which it can run (for work that must happen while passing through)
 * @param required whether the waypoints strategy must stop at {@code availableFrom} to run it
 * @param backups extra datastores to back up before it (for example the search index)
 * @param landOn datastore versions (prefixes) the hop that runs it must land on: MySQL 5.6 data is upgraded by a MySQL
 *     5.7 server only, so leaving Juniper lands on a release whose MySQL starts with {@code 5.7}
 * @param performedFrom the first Tutor version whose {@code upgrade --from} performs it; older Tutors leave it to the
 *     new image starting ({@link #implicitSummary()} says what then happens)
 * @param implicitSummary what happens when a Tutor older than {@code performedFrom} runs the hop
 * @param searchEngine for reindexing work: the engine it rebuilds; skipped on a hop landing on another engine
 * @param rollback how to undo it, if there is a way
 * @param source where the fact comes from (repository, tag and path, or document)
 * @since 0.1
 */
public record UpgradeAction(String id, ActionKind kind, ActionPhase phase, Optional<String> title, String summary, boolean migratesData,
                            boolean k8sManual, Optional<MongoUpgrade> mongo, List<List<String>> commands,
                            Optional<List<List<String>>> k8sCommands, Optional<ReleaseName> availableFrom, boolean required,
                            List<Datastore> backups, Map<Datastore, String> landOn, Optional<TutorVersion> performedFrom,
                            Optional<String> implicitSummary, Optional<String> searchEngine, Optional<String> rollback, String source) {
    /**
     * Validates and copies.
     *
     * @param id stable identifier, unique within the release
     * @param kind what kind of work it is
     * @param phase when it happens within the hop
     * @param title a short imperative title for the plan step, if the action becomes one
     * @param summary one sentence for people
     * @param migratesData whether it changes stored data (a backup must cover it)
     * @param k8sManual whether Tutor only prints it on Kubernetes, so it becomes a manual step there
     * @param mongo the MongoDB specifics, for MongoDB steps
     * @param commands commands the operator runs (MANUAL), or runs on Kubernetes when {@code k8sManual}
     * @param k8sCommands commands for Kubernetes when they differ from {@code commands}
     * @param availableFrom the earliest release on which it can run (for work that must happen while passing through)
     * @param required whether the waypoints strategy must stop at {@code availableFrom} to run it
     * @param backups extra datastores to back up before it (for example the search index)
     * @param landOn datastore versions (prefixes) the hop that runs it must land on: MySQL 5.6 data is upgraded by a MySQL
     *     5.7 server only, so leaving Juniper lands on a release whose MySQL starts with {@code 5.7}
     * @param performedFrom the first Tutor version whose {@code upgrade --from} performs it; older Tutors leave it to the
     *     new image starting ({@link #implicitSummary()} says what then happens)
     * @param implicitSummary what happens when a Tutor older than {@code performedFrom} runs the hop
     * @param searchEngine for reindexing work: the engine it rebuilds; skipped on a hop landing on another engine
     * @param rollback how to undo it, if there is a way
     * @param source where the fact comes from (repository, tag and path, or document)
     */
    public UpgradeAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(mongo, "mongo");
        commands = commands.stream().map(List::copyOf).toList();
        k8sCommands = k8sCommands.map(c -> c.stream().map(List::copyOf).toList());
        Objects.requireNonNull(availableFrom, "availableFrom");
        backups = List.copyOf(backups);
        landOn = landOn.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(landOn));
        Objects.requireNonNull(performedFrom, "performedFrom");
        Objects.requireNonNull(implicitSummary, "implicitSummary");
        Objects.requireNonNull(searchEngine, "searchEngine");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(source, "source");
        if (kind == ActionKind.MONGODB && mongo.isEmpty()) {
            throw new IllegalArgumentException("MongoDB action '" + id + "' needs its image and featureCompatibility");
        }
    }

    /**
     * @param tutor the Tutor version running the hop
     * @return whether that Tutor's {@code upgrade --from} performs this action
     */
    public boolean performedBy(TutorVersion tutor) {
        return performedFrom.map(v -> tutor.compareTo(v) >= 0).orElse(true);
    }

    /** @return the title, or one cut from the summary */
    public String displayTitle() {
        if (title.isPresent()) {
            return title.get();
        }
        int colon = summary.indexOf(": ");
        int dot = summary.indexOf(". ");
        int cut = colon > 0 && (dot < 0 || colon < dot) ? colon : dot;
        return cut > 0 && cut < 90 ? summary.substring(0, cut)
                : summary.length() > 90 ? summary.substring(0, 87) + "..." : summary.replaceAll("\\.$", "");
    }

    /**
     * One MongoDB major step: Tutor runs the next image and raises featureCompatibilityVersion (tutor/commands/upgrade,
     * upgrade_mongodb; on Kubernetes it prints the commands).
     *
     * @param image the image it moves to ({@code mongo:4.0.25})
     * @param laterImages images later Tutor versions use instead, by the first Tutor version using each
     *     ({@code 20.0.5 -> mongo:7.0.28})
     * @param featureCompatibility the featureCompatibilityVersion it sets
     * @param shell the shell that runs the admin command in that image ({@code mongo}; {@code mongosh} from 6)
     * @param confirm whether the command needs {@code confirm: true} (MongoDB 7)
     * @since 0.2
     */
    public record MongoUpgrade(String image, Map<TutorVersion, String> laterImages, String featureCompatibility, String shell,
                               boolean confirm) {
        /**
         * Validates and copies.
         *
         * @param image the image it moves to ({@code mongo:4.0.25})
         * @param laterImages images later Tutor versions use instead, by the first Tutor version using each
         *     ({@code 20.0.5 -> mongo:7.0.28})
         * @param featureCompatibility the featureCompatibilityVersion it sets
         * @param shell the shell that runs the admin command in that image ({@code mongo}; {@code mongosh} from 6)
         * @param confirm whether the command needs {@code confirm: true} (MongoDB 7)
         */
        public MongoUpgrade {
            Objects.requireNonNull(image, "image");
            laterImages = Map.copyOf(laterImages);
            Objects.requireNonNull(featureCompatibility, "featureCompatibility");
            Objects.requireNonNull(shell, "shell");
        }

        /**
         * @param tutor the Tutor version running the step
         * @return the image that Tutor version uses
         */
        public String imageFor(TutorVersion tutor) {
            NavigableMap<TutorVersion, String> sorted = new TreeMap<>(laterImages);
            return Optional.ofNullable(sorted.floorEntry(tutor)).map(Map.Entry::getValue).orElse(image);
        }
    }
}
