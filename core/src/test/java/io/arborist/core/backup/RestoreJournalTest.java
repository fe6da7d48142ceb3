package io.arborist.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreJournalTest {
    @Test
    void nothing_is_written_before_the_first_event_and_then_owner_only(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("state/x.restore.journal");
        try (RestoreJournal j = RestoreJournal.open(file, "http://h:8123", "renames={a=b}", List.of("b"))) {
            assertThat(j.resumed()).isFalse();
            assertThat(file.getParent()).doesNotExist();
            j.begin("create:b.t");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readAllLines(file)).containsExactly("arborist-restore-journal http://h:8123", "settings renames={a=b}", "database b",
                "begin create:b.t");
    }

    @Test
    void the_same_restore_resumes_and_a_torn_tail_is_ignored_then_cut_off(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("restore-journal.log");
        try (RestoreJournal j = RestoreJournal.open(file, "t", "s", List.of("db"))) {
            j.begin("chunk 1");
            j.done("chunk 1");
            j.note("server-restore", "id-1");
            j.begin("chunk 2");
        }
        Files.writeString(file, "done chu", StandardOpenOption.APPEND);
        RestoreJournal.State s = RestoreJournal.read(file).orElseThrow();
        assertThat(s.torn()).isTrue();
        assertThat(s.done()).containsExactly("chunk 1");
        assertThat(s.interrupted()).containsExactly("chunk 2");
        assertThat(s.databases()).containsExactly("db");
        assertThat(s.notes()).containsEntry("server-restore", "id-1");
        assertThat(Files.readString(file)).as("reading changes nothing").endsWith("done chu");

        try (RestoreJournal j = RestoreJournal.open(file, "t", "s", List.of("db"))) {
            assertThat(j.resumed()).isTrue();
            assertThat(j.isDone("chunk 1")).isTrue();
            assertThat(j.interrupted("chunk 2")).isTrue();
            assertThat(j.begun("chunk 1")).isTrue();
            assertThat(j.noted("server-restore")).contains("id-1");
            j.done("chunk 2");
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotContain("done chu\n").endsWith("begin chunk 2\ndone chunk 2\n");
        assertThat(RestoreJournal.read(file).orElseThrow().interrupted()).isEmpty();
    }

    @Test
    void another_restore_is_refused_while_this_one_is_unfinished(@TempDir Path tmp) {
        Path file = tmp.resolve("j");
        try (RestoreJournal j = RestoreJournal.open(file, "http://h:8123", "a", List.of())) {
            j.begin("x");
        }
        assertThatThrownBy(() -> RestoreJournal.open(file, "http://h:8123", "b", List.of())).isInstanceOf(ArboristException.class)
                .hasMessageContaining("belongs to an unfinished restore into http://h:8123").hasMessageContaining("--cleanup")
                .satisfies(e -> assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.JOURNAL));
    }

    @Test
    void a_finished_journal_is_renamed_and_a_new_restore_starts_afresh(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("a.restore.journal");
        RestoreJournal j = RestoreJournal.open(file, "t", "s", List.of());
        j.done("x");
        j.finish();
        assertThat(file).doesNotExist();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).singleElement().asString().matches("a\\.restore\\.\\d+\\.done");
        }
        assertThat(RestoreJournal.read(file)).isEmpty();
        RestoreJournal.open(file, "t", "s", List.of()).cleaned();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).as("a journal never written is not retired").isEqualTo(1);
        }
    }

    @Test
    void a_journal_others_may_write_or_a_foreign_file_is_refused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("j");
        Files.writeString(file, "arborist-restore-journal t\ndone x\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> RestoreJournal.read(file)).hasMessageContaining("owned or writable by another user");
        Path foreign = Files.writeString(tmp.resolve("f"), "hello\n");
        assertThatThrownBy(() -> RestoreJournal.open(foreign, "t", "s", List.of())).hasMessageContaining("is not an Arborist restore journal");
        Path link = Files.createSymbolicLink(tmp.resolve("l"), foreign);
        assertThatThrownBy(() -> RestoreJournal.read(link)).hasMessageContaining("not a regular file");
    }

    @Test
    void a_step_must_be_one_line(@TempDir Path tmp) {
        try (RestoreJournal j = RestoreJournal.open(tmp.resolve("j"), "t", "s", List.of())) {
            assertThatThrownBy(() -> j.begin("a\nb")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
