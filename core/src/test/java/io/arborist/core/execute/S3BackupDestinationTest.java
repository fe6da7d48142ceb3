package io.arborist.core.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveSummary;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.BackupCatalog;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.PruneResult;
import io.arborist.core.backup.store.PruneRule;
import io.arborist.core.backup.store.StoreLeftovers;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.core.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor writing backups to an S3 prefix (S3Proxy on loopback): same reservation rule as local directories. */
class S3BackupDestinationTest {
    private static final UpgradePlan PLAN = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "maple");
    private static final String FIRST = PLAN.backups().get(0).id();
    private static final String SECOND = PLAN.backups().get(1).id();
    private static final Destination SITE = Destination.parse("s3://runs/site");

    @TempDir
    Path dir;
    private S3Server s3;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("runs");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    /** Streams data.sql through the request's store, then the manifest last; fails before the manifest on chosen calls. */
    private static final class StoreProvider implements BackupProvider {
        final String content;
        final AtomicInteger calls = new AtomicInteger();
        final Set<Integer> failOn;

        StoreProvider(String content, Integer... failOn) {
            this.content = content;
            this.failOn = Set.of(failOn);
        }

        @Override
        public BackupArtifact backup(BackupRequest request) {
            int call = calls.incrementAndGet();
            assertThat(request.localDirectory()).isEmpty();
            assertThat(request.store().list("")).as("the executor hands over an empty prefix").isEmpty();
            write(request.store(), "data.sql", content + " " + request.stepId());
            if (failOn.contains(call)) {
                throw new ArboristException(ErrorKind.BACKUP, "connection lost while backing up " + request.target());
            }
            write(request.store(), "manifest.json", "{\"complete\":true}");
            return new BackupArtifact(request.stepId() + "/" + request.target(), request.target(), request.location(), 1, Instant.now());
        }

        private static void write(BackupStore store, String name, String text) {
            StoreOutputStream out = store.create(name);
            try (out) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.abort();
                throw new UncheckedIOException(e);
            }
        }
    }

    private UpgradeExecutor.Builder executor(UpgradeJournal journal, BackupProvider mysql, BackupStores stores) {
        return UpgradeExecutor.builder().tutor(new RecordingRunner()).journal(journal).manualSteps(ManualStepHandler.ACCEPT_ALL)
                .backup(BackupTarget.MYSQL, mysql)
                .backupsTakenByHand(List.of(BackupTarget.MONGODB, BackupTarget.TUTOR_ROOT), "ops")
                .backupDestination(SITE).backupStores(stores);
    }

    private String object(String key) throws IOException {
        return Files.readString(s3.bucketDir("runs").resolve(key));
    }

    @Test
    void backups_go_to_run_step_target_prefixes_and_the_journal_keeps_their_s3_locations() throws Exception {
        Path file = dir.resolve("upgrade.journal");
        UpgradeJournal journal = UpgradeJournal.file(file);

        ExecutionReport report = executor(journal, new StoreProvider("v1"), s3.stores().build()).build().execute(PLAN);

        assertThat(report.completed()).isTrue();
        String run = ((JournalEntry.PlanStarted) journal.entries().get(0)).runId();
        assertThat(report.backups()).extracting(BackupArtifact::location).containsExactly(
                Destination.parse("s3://runs/site/" + run + "/" + FIRST + "/mysql"),
                Destination.parse("s3://runs/site/" + run + "/" + SECOND + "/mysql"));
        assertThat(object("site/" + run + "/" + FIRST + "/mysql/data.sql")).isEqualTo("v1 " + FIRST);
        assertThat(object("site/" + run + "/" + SECOND + "/mysql/manifest.json")).contains("complete");
        assertThat(Files.readString(file)).contains("\"location\":\"s3://runs/site/" + run + "/" + FIRST + "/mysql/\"");
        UpgradeJournal reread = UpgradeJournal.file(file);
        assertThat(UpgradeExecutor.status(reread).backups()).extracting(BackupArtifact::location)
                .isEqualTo(report.backups().stream().map(BackupArtifact::location).toList());

        // backups list sees them, complete and referenced by the journal; prune keeps them whatever the rule
        try (BackupStore root = s3.stores().build().open(SITE)) {
            BackupCatalog catalog = BackupCatalog.builder(root).journal(reread).build();
            List<ArchiveSummary> all = catalog.list();
            assertThat(all).hasSize(2).allMatch(ArchiveSummary::complete).allMatch(a -> !a.referencedBy().isEmpty());
            PruneResult pruned = catalog.prune(new PruneRule(Optional.empty(), OptionalInt.of(1), true, false));
            assertThat(pruned.removed()).as("the older one is beyond --keep 1, but the journal references it").isEmpty();
            assertThat(root.exists(run + "/" + FIRST + "/mysql/manifest.json")).isTrue();
        }
    }

    /** Writes an archive through the request's store, honouring its key or (when told) ignoring it. */
    private static BackupProvider archiving(boolean honourKey) {
        return request -> {
            assertThat(request.localDirectory()).as("an encrypted backup is always written through the store").isEmpty();
            ArchiveWriter w = ArchiveWriter.into(request.store(), "")
                    .encryptedWith(honourKey ? request.encryption() : Optional.empty()).start();
            StoreOutputStream out = w.create("data.sql");
            try (out) {
                out.write(("rows of " + request.stepId()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            w.commit("{}".getBytes(StandardCharsets.UTF_8));
            return new BackupArtifact(request.stepId() + "/" + request.target(), request.target(), request.location(), 1, Instant.now());
        };
    }

    @Test
    void an_encrypting_run_hands_its_key_to_every_backup_and_fails_a_step_whose_backup_is_not_encrypted() throws Exception {
        EncryptionKey key = EncryptionKey.derivedFrom(ArchiveKey.fromEnvironment(
                java.util.Map.of("K", "6b".repeat(32)), "K"));
        for (Destination where : List.of(SITE, new Destination.LocalDirectory(dir.resolve("local")))) {
            UpgradeJournal journal = UpgradeJournal.inMemory();
            ExecutionReport report = executor(journal, archiving(true), s3.stores().build()).backupDestination(where)
                    .encryptBackupsWith(key).build().execute(PLAN);

            assertThat(report.completed()).as(where.toString()).isTrue();
            try (BackupStore store = s3.stores().build().open(report.backups().get(0).location())) {
                assertThatThrownBy(() -> ArchiveReader.open(store, "", Optional.empty())).hasMessageContaining("needs its key");
                ArchiveReader reader = ArchiveReader.open(store, "", Optional.of(key));
                assertThat(reader.encrypted()).isTrue();
                assertThat(new String(reader.open("data.sql").readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rows of " + FIRST);
                assertThat(new String(store.open("data.sql").readAllBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("rows of");
            }
        }

        ExecutionReport plain = executor(UpgradeJournal.inMemory(), archiving(false), s3.stores().build())
                .encryptBackupsWith(key).build().execute(PLAN);

        assertThat(plain.completed()).isFalse();
        assertThat(plain.stoppedAt()).contains(FIRST);
        assertThat(plain.outcomes()).filteredOn(o -> o instanceof StepOutcome.Failed).singleElement()
                .satisfies(o -> assertThat(((StepOutcome.Failed) o).message()).contains("is not encrypted, although this run encrypts its backups"));
    }

    @Test
    void a_run_that_encrypted_its_backups_resumes_only_with_the_same_key() throws Exception {
        EncryptionKey key = EncryptionKey.derivedFrom(ArchiveKey.fromEnvironment(java.util.Map.of("K", "6b".repeat(32)), "K"));
        EncryptionKey other = EncryptionKey.derivedFrom(ArchiveKey.fromEnvironment(java.util.Map.of("K", "9d".repeat(32)), "K"));
        Path file = dir.resolve("sealed.journal");
        AtomicInteger calls = new AtomicInteger();
        BackupProvider failsSecond = request -> {
            if (calls.incrementAndGet() == 2) {
                throw new ArboristException(ErrorKind.BACKUP, "connection lost");
            }
            return archiving(true).backup(request);
        };
        ExecutionReport first = executor(UpgradeJournal.file(file), failsSecond, s3.stores().build()).encryptBackupsWith(key)
                .build().execute(PLAN);
        assertThat(first.stoppedAt()).contains(SECOND);

        for (Optional<EncryptionKey> wrong : List.of(Optional.<EncryptionKey>empty(), Optional.of(other))) {
            UpgradeExecutor.Builder b = executor(UpgradeJournal.file(file), failsSecond, s3.stores().build());
            wrong.ifPresent(b::encryptBackupsWith);
            assertThatThrownBy(() -> b.build().resume())
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                    .hasMessageContaining("This run encrypted its backups").hasMessageContaining(key.fingerprint())
                    .hasMessageContaining("nothing was run");
        }
        assertThat(calls.get()).as("no backup was attempted by the refused resumes").isEqualTo(2);

        ExecutionReport resumed = executor(UpgradeJournal.file(file), failsSecond, s3.stores().build()).encryptBackupsWith(key)
                .build().resume();
        assertThat(resumed.completed()).isTrue();
        try (BackupStore store = s3.stores().build().open(resumed.backups().get(1).location())) {
            assertThat(ArchiveReader.encryptionFingerprint(store)).contains(key.fingerprint());
        }
    }

    @Test
    void a_partial_backup_this_run_started_is_replaced_and_anything_else_in_the_way_is_left_alone() throws Exception {
        UpgradeJournal journal = UpgradeJournal.file(dir.resolve("upgrade.journal"));
        StoreProvider failsFirst = new StoreProvider("v1", 1);
        ExecutionReport failed = executor(journal, failsFirst, s3.stores().build()).build().execute(PLAN);
        assertThat(failed.stoppedAt()).contains(FIRST);
        String run = ((JournalEntry.PlanStarted) journal.entries().get(0)).runId();
        String step = "site/" + run + "/" + FIRST;
        assertThat(object(step + "/mysql/data.sql")).isEqualTo("v1 " + FIRST);
        assertThat(s3.bucketDir("runs").resolve(step + "/mysql/manifest.json")).doesNotExist();
        StoreProvider probe = new StoreProvider("x");
        try (BackupStore partial = s3.open("s3://runs/" + step + "/mysql")) {
            assertThat(probe.isComplete(partial)).as("a killed backup is never reported complete").isFalse();
        }
        // someone else's partial prefix is in the way of the next name too
        try (BackupStore other = s3.open("s3://runs/" + step + "/mysql-2")) {
            StoreProvider.write(other, "notes.txt", "not Arborist's");
        }
        // the killed attempt also left a multipart upload unfinished, and so did someone else next to it
        byte[] part = new byte[9 * 1024 * 1024];
        for (String prefix : List.of("/mysql", "/mysql-2")) {
            try (BackupStore at = s3.open("s3://runs/" + step + prefix)) {
                at.create("big.zst").write(part);   // one 8 MiB part uploaded, never completed
            }
        }
        try (BackupStore root = s3.open("s3://runs/" + step)) {
            assertThat(StoreLeftovers.of(root)).containsExactlyInAnyOrder("mysql/big.zst", "mysql-2/big.zst");
        }

        ExecutionReport resumed = executor(journal, new StoreProvider("v2"), s3.stores().build()).build().resume();

        assertThat(resumed.completed()).isTrue();
        assertThat(object(step + "/mysql/data.sql")).as("this run's partial backup was replaced").isEqualTo("v2 " + FIRST);
        assertThat(object(step + "/mysql/manifest.json")).contains("complete");
        assertThat(object(step + "/mysql-2/notes.txt")).isEqualTo("not Arborist's");
        try (BackupStore root = s3.open("s3://runs/" + step)) {
            assertThat(StoreLeftovers.of(root)).as("this run's unfinished upload was aborted, the other one kept")
                    .containsExactly("mysql-2/big.zst");
        }
        try (BackupStore done = s3.open("s3://runs/" + step + "/mysql")) {
            assertThat(probe.isComplete(done)).isTrue();
        }

        // a complete backup a killed attempt left (started, manifest written, step never ended) is kept
        UpgradeJournal killed = UpgradeJournal.inMemory();
        Instant now = Instant.now();
        killed.append(new JournalEntry.PlanStarted(now, UpgradeExecutor.sha256(PLAN), PLAN.toJson(), "killed-run"));
        for (io.arborist.core.plan.UpgradeStep s : PLAN.steps().subList(0, PLAN.steps().indexOf(PLAN.backups().get(0)))) {
            killed.append(new JournalEntry.StepStarted(now, s.id()));
            killed.append(new JournalEntry.StepEnded(now, s.id(), true, java.time.Duration.ZERO, List.of(), Optional.empty()));
        }
        killed.append(new JournalEntry.StepStarted(now, FIRST));
        Destination kept = SITE.resolve("killed-run/" + FIRST + "/mysql");
        killed.append(new JournalEntry.BackupStarted(now, FIRST, BackupTarget.MYSQL, kept));
        try (BackupStore store = s3.open(kept.toString())) {
            StoreProvider.write(store, "data.sql", "complete");
            StoreProvider.write(store, "manifest.json", "{}");
        }

        ExecutionReport again = executor(killed, new StoreProvider("v3"), s3.stores().build()).build().resume();

        assertThat(again.completed()).isTrue();
        assertThat(object("site/killed-run/" + FIRST + "/mysql/data.sql")).isEqualTo("complete");
        assertThat(again.backups()).extracting(BackupArtifact::location).contains(SITE.resolve("killed-run/" + FIRST + "/mysql-2"));
    }

    @Test
    void a_missing_bucket_or_refused_credentials_stop_the_run_before_anything_is_journaled() {
        StoreProvider provider = new StoreProvider("x");
        UpgradeJournal journal = UpgradeJournal.inMemory();
        UpgradeExecutor missing = executor(journal, provider, s3.stores().build()).backupDestination(Destination.parse("s3://no-such-bucket/x"))
                .build();

        assertThatThrownBy(() -> missing.execute(PLAN)).isInstanceOf(ArboristException.class)
                .hasMessageStartingWith("Refusing to start: backups cannot be written to s3://no-such-bucket/x/")
                .hasMessageContaining("bucket 'no-such-bucket' does not exist").hasMessageEndingWith("nothing was run.")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.UNREACHABLE);
        assertThat(journal.entries()).isEmpty();

        String wrong = "wrong-secret-5d1c";
        UpgradeExecutor denied = executor(journal, provider, s3.stores().credentials(S3Server.ACCESS_KEY, wrong.toCharArray())
                .maxAttempts(1).build()).build();
        assertThatThrownBy(() -> denied.execute(PLAN)).isInstanceOf(ArboristException.class)
                .hasMessageContaining("access denied").hasMessageNotContaining(wrong).hasMessageNotContaining(s3.secret())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(journal.entries()).isEmpty();
        assertThat(provider.calls).hasValue(0);
    }

    @Test
    void a_journal_written_before_s3_destinations_still_reads_its_backup_paths() throws Exception {
        Path file = dir.resolve("old.journal");
        UpgradeJournal.file(file).append(new JournalEntry.PlanStarted(Instant.parse("2026-11-20T08:00:00Z"), UpgradeExecutor.sha256(PLAN),
                PLAN.toJson(), "20261120-080000-abcdef"));
        // lines as Arborist wrote them when locations were paths (one relative, as given on the command line)
        Files.writeString(file, """
                {"at":"2026-11-20T08:00:01Z","type":"start","step":"%1$s"}
                {"at":"2026-11-20T08:00:02Z","type":"backup","step":"%1$s","target":"MYSQL","location":"/srv/backups/20261120-080000-abcdef/%1$s/mysql"}
                {"at":"2026-11-20T08:10:00Z","type":"end","step":"%1$s","status":"COMPLETED","tookMillis":600000,\
                "backups":[{"id":"%1$s/mysql","target":"MYSQL","location":"/srv/backups/20261120-080000-abcdef/%1$s/mysql","bytes":5000,\
                "created":"2026-11-20T08:09:00Z"},{"id":"%1$s/mongodb","target":"MONGODB","location":"backups/mongodb","bytes":7,\
                "created":"2026-11-20T08:09:30Z"}]}
                """.formatted(FIRST), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        List<JournalEntry> entries = UpgradeJournal.file(file).entries();

        assertThat(((JournalEntry.BackupStarted) entries.get(2)).location())
                .isEqualTo(new Destination.LocalDirectory(Path.of("/srv/backups/20261120-080000-abcdef/" + FIRST + "/mysql")));
        assertThat(((JournalEntry.StepEnded) entries.get(3)).backups()).extracting(BackupArtifact::location).containsExactly(
                new Destination.LocalDirectory(Path.of("/srv/backups/20261120-080000-abcdef/" + FIRST + "/mysql")),
                new Destination.LocalDirectory(Path.of("backups/mongodb").toAbsolutePath()));
        // and written again, an old location stays a path while a new one is an s3:// URL
        UpgradeJournal copy = UpgradeJournal.file(dir.resolve("copy.journal"));
        entries.forEach(copy::append);
        copy.append(new JournalEntry.BackupStarted(Instant.now(), SECOND, BackupTarget.MYSQL, SITE.resolve("r/" + SECOND + "/mysql")));
        assertThat(copy.entries()).hasSize(5).last().extracting(e -> ((JournalEntry.BackupStarted) e).location())
                .isEqualTo(Destination.parse("s3://runs/site/r/" + SECOND + "/mysql/"));
        assertThat(Files.readString(dir.resolve("copy.journal"))).contains("\"location\":\"/srv/backups/20261120-080000-abcdef/")
                .contains("\"location\":\"s3://runs/site/r/" + SECOND + "/mysql/\"");
    }
}
