package io.arborist.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.VerifyReport;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import io.arborist.core.backup.RestoreJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier's engine on backup directories written without a server. */
class ArchiveVerifierTest {
    @TempDir
    Path tmp;

    private Path archive(boolean sealed) throws IOException {
        Path dir = tmp.resolve("aspects");
        Files.createDirectories(dir);
        new TestArchive(dir).table("events", new byte[] {1, 2, 3}).table("facts", new byte[] {4, 5})
                .object("xapi", "web", ObjectKind.TABLE, "CREATE TABLE xapi.web (x String) ENGINE = URL('http://evil/', CSV)").write(sealed);
        return dir;
    }

    private static VerifyReport verify(Path dir, boolean contents, BackupListener listener, boolean withKey) {
        try (ArchiveSource source = ArchiveSource.directory(dir, Optional.empty())) {
            return new ArchiveVerifier(listener, withKey ? Optional.of(TestArchive.KEY) : Optional.empty()).verify(source, contents);
        }
    }

    @Test
    void a_sound_sealed_archive_verifies_every_file_and_notes_what_a_restore_refuses() throws IOException {
        Path dir = archive(true);
        List<BackupProgress> progress = new ArrayList<>();
        VerifyReport r = verify(dir, true, progress::add, true);
        assertThat(r.problems()).isEmpty();
        assertThat(r.authenticated()).isTrue();
        assertThat(r.files()).as("two data files and the schema file").isEqualTo(3);
        assertThat(r.bytes()).isEqualTo(3 + 2 + "-- xapi\n".length());
        assertThat(r.notes()).anyMatch(n -> n.startsWith("a restore refuses xapi.web: ") && n.endsWith("(skip it and create it by hand)"));
        assertThat(progress).extracting(BackupProgress::current).containsExactly("xapi.events", "xapi.facts");
    }

    @Test
    void every_damaged_file_is_one_problem_naming_its_object() throws IOException {
        Path dir = archive(false);
        Files.write(dir.resolve("data/xapi/events/all.native.zst"), new byte[] {1, 2, 4});
        Files.delete(dir.resolve("data/xapi/facts/all.native.zst"));
        Files.writeString(dir.resolve("schema/xapi.sql"), "-- edited\n");
        VerifyReport r = verify(dir, true, BackupListener.NONE, false);
        assertThat(r.problems()).hasSize(3);
        assertThat(r.problems().get(0)).startsWith("xapi.events: data/xapi/events/all.native.zst has SHA-256 ").endsWith("(corrupted)");
        assertThat(r.problems().get(1)).isEqualTo("xapi.facts: data/xapi/facts/all.native.zst is missing");
        assertThat(r.problems().get(2)).isEqualTo("schema/xapi.sql has 10 bytes, the manifest says 8 (truncated or replaced)");
        assertThat(r.authenticated()).isFalse();
        assertThat(r.ok()).isFalse();
    }

    @Test
    void without_reading_contents_only_presence_and_sizes_of_data_files_are_checked() throws IOException {
        Path dir = archive(false);
        Files.write(dir.resolve("data/xapi/events/all.native.zst"), new byte[] {9, 9, 9});
        assertThat(verify(dir, false, BackupListener.NONE, false).problems()).as("same size, not read").isEmpty();
        Files.write(dir.resolve("data/xapi/events/all.native.zst"), new byte[] {9, 9});
        assertThat(verify(dir, false, BackupListener.NONE, false).problems())
                .containsExactly("xapi.events: data/xapi/events/all.native.zst has 2 bytes, the manifest says 3 (truncated or replaced)");
    }

    @Test
    void an_unsealed_archive_checked_with_a_key_an_unreadable_manifest_and_an_unfinished_restore_are_reported() throws IOException {
        Path dir = archive(false);
        VerifyReport withKey = verify(dir, true, BackupListener.NONE, true);
        assertThat(withKey.authenticated()).isFalse();
        assertThat(withKey.problems()).isNotEmpty();

        try (RestoreJournal j = RestoreJournal.open(Journals.defaultJournal(dir), "http://h:8123", "s", List.of("xapi"))) {
            j.begin("create:xapi.events");
        }
        assertThat(verify(dir, true, BackupListener.NONE, false).notes()).anyMatch(n -> n.startsWith("partial restore into http://h:8123 (xapi)"));

        Files.writeString(dir.resolve("manifest.json"), "{not json");
        VerifyReport broken = verify(dir, true, BackupListener.NONE, false);
        assertThat(broken.files()).isZero();
        assertThat(broken.problems()).anyMatch(p -> p.contains("manifest.json"));
    }
}
