package io.arborist.core.backup.store;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.execute.JournalEntry;
import io.arborist.core.execute.UpgradeJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Lists and prunes the archives under a destination ({@code arborist backups list|prune DEST}). An archive is the
 * prefix of a {@value ArchiveWriter#MANIFEST} (complete) or of an {@value ArchiveWriter#MARKER} without one (partial);
 * objects below no archive are grouped by their first path segment and listed as partial, except {@code .tar} files,
 * which are written whole and renamed into place. Unfinished uploads (temporary files, incomplete multipart uploads)
 * belong to the archive they were being written into.
 *
 * <pre>{@code
 * BackupCatalog catalog = BackupCatalog.builder(store).journal(UpgradeJournal.file(Path.of("upgrade.journal"))).build();
 * catalog.list();                                                              // complete and partial, newest first
 * catalog.prune(new PruneRule(Optional.of(Duration.ofDays(30)), OptionalInt.of(3), false, false));
 * }</pre>
 *
 * <p>Pruning never removes an archive a given journal references (a backup it started or completed), and never a
 * partial one unless asked. It removes an archive's manifest first, so one interrupted halfway reads as partial,
 * never as complete with objects missing.
 *
 * @since 0.3
 */
public final class BackupCatalog {
    private final BackupStore store;
    private final List<UpgradeJournal> journals;
    private final Clock clock;

    private BackupCatalog(Builder b) {
        this.store = b.store;
        this.journals = List.copyOf(b.journals);
        this.clock = b.clock;
    }

    /**
     * @param store the destination's store
     * @return a builder
     */
    public static Builder builder(BackupStore store) {
        return new Builder(store);
    }

    /** @return every archive under the destination, newest first */
    public List<ArchiveSummary> list() {
        List<StoredObject> objects = store.list("");
        List<StoredObject> leftovers = store instanceof Leftovers l ? l.leftovers("") : List.of();
        TreeMap<String, Boolean> roots = new TreeMap<>();   // archive prefix -> complete
        for (StoredObject o : objects) {
            String name = o.name();
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (file.equals(ArchiveWriter.MANIFEST)) {
                roots.put(parent, true);
            } else if (file.equals(ArchiveWriter.MARKER)) {
                roots.putIfAbsent(parent, false);
            }
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        for (StoredObject o : objects) {
            group(groups, roots, o.name()).add(o);
        }
        for (StoredObject o : leftovers) {
            group(groups, roots, o.name()).leftovers.add(o);
        }
        Map<String, List<String>> references = references();
        List<ArchiveSummary> out = new ArrayList<>();
        for (Group g : groups.values()) {
            Destination location = g.name.isEmpty() ? store.destination() : store.destination().resolve(g.name);
            Instant created = g.objects.stream().filter(o -> o.name().endsWith(ArchiveWriter.MANIFEST) && g.complete)
                    .map(StoredObject::modified).findFirst()
                    .orElseGet(() -> java.util.stream.Stream.concat(g.objects.stream(), g.leftovers.stream())
                            .map(StoredObject::modified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH));
            List<String> by = new ArrayList<>();
            String at = normalise(location.toString());
            references.forEach((ref, journalNames) -> {
                if (ref.equals(at) || ref.startsWith(at + "/") || at.startsWith(ref + "/")) {
                    journalNames.stream().filter(j -> !by.contains(j)).forEach(by::add);
                }
            });
            out.add(new ArchiveSummary(g.name, location, g.complete, g.objects.stream().mapToLong(StoredObject::size).sum(),
                    g.objects.size(), created, g.encrypted(store), by));
        }
        out.sort(Comparator.comparing(ArchiveSummary::created).reversed().thenComparing(ArchiveSummary::name));
        return out;
    }

    private static Group group(Map<String, Group> groups, TreeMap<String, Boolean> roots, String name) {
        for (String candidate = name; ; ) {
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
            if (roots.containsKey(candidate)) {
                String root = candidate;
                return groups.computeIfAbsent(root, r -> new Group(r, roots.get(r)));
            }
            if (candidate.isEmpty()) {
                break;
            }
        }
        String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        boolean tar = !name.contains("/") && name.endsWith(".tar");
        return groups.computeIfAbsent(first, r -> new Group(r, tar));
    }

    /** Compares locations as absolute paths or {@code s3://} URLs without a trailing slash. */
    private static String normalise(String location) {
        String l = location;
        if (!l.startsWith("s3://")) {
            l = Path.of(l).toAbsolutePath().normalize().toString();
        }
        return l.endsWith("/") ? l.substring(0, l.length() - 1) : l;
    }

    private Map<String, List<String>> references() {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        for (UpgradeJournal journal : journals) {
            for (JournalEntry e : journal.entries()) {
                List<Destination> locations = new ArrayList<>();
                if (e instanceof JournalEntry.BackupStarted s) {
                    locations.add(s.location());
                } else if (e instanceof JournalEntry.StepEnded s) {
                    s.backups().stream().map(BackupArtifact::location).forEach(locations::add);
                }
                for (Destination d : locations) {
                    refs.computeIfAbsent(normalise(d.toString()), k -> new ArrayList<>()).add(journal.describe());
                }
            }
        }
        return refs;
    }

    /**
     * @param rule what to remove
     * @return what was removed and kept
     */
    public PruneResult prune(PruneRule rule) {
        Objects.requireNonNull(rule, "rule");
        Instant cutoff = rule.olderThan().map(d -> clock.instant().minus(d)).orElse(Instant.MAX);
        List<ArchiveSummary> removed = new ArrayList<>();
        List<ArchiveSummary> kept = new ArrayList<>();
        int newer = 0;
        for (ArchiveSummary a : list()) {
            boolean old = rule.olderThan().isEmpty() || a.created().isBefore(cutoff);
            boolean remove;
            if (a.complete()) {
                boolean beyondKeep = rule.keep().isEmpty() || newer >= rule.keep().getAsInt();
                newer++;
                remove = (rule.olderThan().isPresent() || rule.keep().isPresent()) && old && beyondKeep;
            } else {
                remove = rule.partial() && old;
            }
            if (remove && a.referencedBy().isEmpty()) {
                removed.add(a);
                if (!rule.dryRun()) {
                    delete(a);
                }
            } else {
                kept.add(a);
            }
        }
        return new PruneResult(removed, kept, rule.dryRun());
    }

    private void delete(ArchiveSummary a) {
        if (!a.name().isEmpty() && store.exists(a.name())) {   // a single object: a tar file, a stray file
            store.delete(a.name());
            return;
        }
        String manifest = ObjectNames.join(a.name(), ArchiveWriter.MANIFEST);
        String marker = ObjectNames.join(a.name(), ArchiveWriter.MARKER);
        if (store.exists(manifest)) {
            store.delete(manifest);
        }
        for (StoredObject o : store.list(a.name())) {
            if (!o.name().equals(marker)) {
                store.delete(o.name());
            }
        }
        store.delete(marker);
        if (store instanceof Leftovers l) {
            l.leftovers(a.name()).forEach(l::discard);
        }
    }

    @Override
    public String toString() {
        return "BackupCatalog[" + store.destination() + "]";
    }

    /** An archive being assembled from the listing. */
    private static final class Group {
        final String name;
        final boolean complete;
        final List<StoredObject> objects = new ArrayList<>();
        final List<StoredObject> leftovers = new ArrayList<>();

        Group(String name, boolean complete) {
            this.name = name;
            this.complete = complete;
        }

        void add(StoredObject o) {
            objects.add(o);
        }

        boolean encrypted(BackupStore store) {
            String marker = ObjectNames.join(name, ArchiveWriter.MARKER);
            if (objects.stream().noneMatch(o -> o.name().equals(marker))) {
                return false;
            }
            try (var in = store.open(marker)) {
                return new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8).contains("\"encryption\"");
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    /** Options of a {@link BackupCatalog}. Not thread-safe. */
    public static final class Builder {
        private final BackupStore store;
        private final List<UpgradeJournal> journals = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(BackupStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * @param journal a run journal whose backups must never be pruned (repeatable)
         * @return this builder
         */
        public Builder journal(UpgradeJournal journal) {
            journals.add(Objects.requireNonNull(journal, "journal"));
            return this;
        }

        /**
         * @param time the clock ages are measured against (default: UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock time) {
            this.clock = Objects.requireNonNull(time, "time");
            return this;
        }

        /** @return the catalog */
        public BackupCatalog build() {
            return new BackupCatalog(this);
        }
    }
}
