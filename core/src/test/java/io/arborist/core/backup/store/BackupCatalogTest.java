package io.arborist.core.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.execute.JournalEntry;
import io.arborist.core.execute.UpgradeJournal;
import io.arborist.core.plan.BackupTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCatalogTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    /** Writes a complete archive whose manifest is dated {@code daysAgo} days before NOW. */
    static void archive(BackupStore store, Path root, String name, int daysAgo) throws IOException {
        ArchiveWriter w = ArchiveWriter.into(store, name).start();
        StoreContract.put(w, "t.zst", new byte[100]);
        w.commit(new byte[] {'{', '}'});
        Files.setLastModifiedTime(root.resolve(name).resolve("manifest.json"), FileTime.from(NOW.minus(Duration.ofDays(daysAgo))));
    }

    @Test
    void listsCompleteAndPartialArchivesAndPrunesByAgeAndCountSparingJournaledOnes() throws Exception {
        Path root = dir.resolve("backups");
        try (BackupStore store = BackupStores.builder().build().open(root.toString())) {
            archive(store, root, "run1/01-koa-backup/mysql", 40);
            archive(store, root, "run1/01-koa-backup/clickhouse", 39);
            archive(store, root, "run2/03-lilac-backup/mysql", 20);
            archive(store, root, "run3/05-maple-backup/mysql", 1);
            ArchiveWriter partial = ArchiveWriter.into(store, "run3/06-nutmeg-backup/mysql").start();
            StoreContract.put(partial, "half.zst", new byte[10]);
            Files.writeString(root.resolve("stray.txt"), "left by hand");

            UpgradeJournal journal = UpgradeJournal.inMemory();
            journal.append(new JournalEntry.StepEnded(NOW, "01-koa-backup", true, Duration.ofMinutes(3),
                    List.of(new BackupArtifact("01-koa-backup/clickhouse", BackupTarget.CLICKHOUSE,
                            new Destination.LocalDirectory(root.resolve("run1/01-koa-backup/clickhouse")), 100, NOW)), Optional.empty()));
            BackupCatalog catalog = BackupCatalog.builder(store).journal(journal).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

            List<ArchiveSummary> all = catalog.list();
            assertThat(all).extracting(ArchiveSummary::name).containsExactlyInAnyOrder("run1/01-koa-backup/mysql",
                    "run1/01-koa-backup/clickhouse", "run2/03-lilac-backup/mysql", "run3/05-maple-backup/mysql",
                    "run3/06-nutmeg-backup/mysql", "stray.txt");
            assertThat(all.stream().filter(ArchiveSummary::complete)).extracting(ArchiveSummary::name).containsExactly(
                    "run3/05-maple-backup/mysql", "run2/03-lilac-backup/mysql", "run1/01-koa-backup/clickhouse", "run1/01-koa-backup/mysql");
            ArchiveSummary ch = all.stream().filter(a -> a.name().equals("run1/01-koa-backup/clickhouse")).findFirst().orElseThrow();
            assertThat(ch.referencedBy()).containsExactly("in-memory journal");
            assertThat(ch.objects()).isEqualTo(3);
            assertThat(ch.created()).isEqualTo(NOW.minus(Duration.ofDays(39)));

            assertThatThrownBy(() -> new PruneRule(Optional.empty(), OptionalInt.empty(), false, false)).hasMessageContaining("--older-than");

            PruneResult dry = catalog.prune(new PruneRule(Optional.of(Duration.ofDays(30)), OptionalInt.empty(), false, true));
            assertThat(dry.removed()).extracting(ArchiveSummary::name).containsExactly("run1/01-koa-backup/mysql");
            assertThat(root.resolve("run1/01-koa-backup/mysql/manifest.json")).exists();

            PruneResult byAge = catalog.prune(new PruneRule(Optional.of(Duration.ofDays(30)), OptionalInt.empty(), false, false));
            assertThat(byAge.removed()).extracting(ArchiveSummary::name).containsExactly("run1/01-koa-backup/mysql");
            assertThat(root.resolve("run1/01-koa-backup/mysql")).doesNotExist();
            assertThat(root.resolve("run1/01-koa-backup/clickhouse/manifest.json")).exists();   // the journal references it

            PruneResult byCount = catalog.prune(new PruneRule(Optional.empty(), OptionalInt.of(1), false, false));
            assertThat(byCount.removed()).extracting(ArchiveSummary::name).containsExactly("run2/03-lilac-backup/mysql");
            assertThat(catalog.list()).extracting(ArchiveSummary::name).contains("run3/06-nutmeg-backup/mysql", "stray.txt");

            PruneResult partials = catalog.prune(new PruneRule(Optional.empty(), OptionalInt.empty(), true, false));
            assertThat(partials.removed()).extracting(ArchiveSummary::name).containsExactlyInAnyOrder("run3/06-nutmeg-backup/mysql", "stray.txt");
            assertThat(catalog.list()).extracting(ArchiveSummary::name).containsExactlyInAnyOrder("run3/05-maple-backup/mysql",
                    "run1/01-koa-backup/clickhouse");
        }
    }
}
