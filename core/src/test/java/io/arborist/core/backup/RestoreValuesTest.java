package io.arborist.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreValuesTest {
    @Test
    void a_report_names_the_tables_that_differ() {
        TableCheck ok = TableCheck.of("edxapp", "auth_user", 1200, 1200, "abc", "abc");
        TableCheck bad = TableCheck.of("edxapp", "courses", 5, 4, "abc", "abd");
        TableCheck appended = new TableCheck("xapi", "events", 10, 10, "", "", "appended into an existing table: not compared");
        RestoreReport r = new RestoreReport(List.of(ok, bad, appended), false, 3, 0, 1209, Duration.ofSeconds(1));
        assertThat(r.allMatch()).isFalse();
        assertThat(r.mismatches()).containsExactly(bad);
        assertThat(ok.describe()).isEqualTo("edxapp.auth_user: 1200 rows, checksum ok");
        assertThat(bad.describe()).isEqualTo("edxapp.courses: expected 5 rows / checksum abc, found 4 rows / checksum abd");
        assertThat(appended.describe()).isEqualTo("xapi.events: 10 rows (appended into an existing table: not compared)");
    }

    @Test
    void a_partial_restore_says_what_is_partial_and_what_to_do() {
        PartialRestore p = new PartialRestore(Path.of("/b/j"), "jdbc:mysql://h:3306 as root", List.of("edxapp_copy"), List.of(), List.of(), 12, 40);
        assertThat(p.describe()).isEqualTo("partial restore into jdbc:mysql://h:3306 as root (edxapp_copy): 12 of 40 data files loaded"
                + " (journal /b/j); run the same restore again to resume it, or clean it up (--cleanup) to drop what it created");
        PartialRestore ch = new PartialRestore(Path.of("/b/j"), "http://h:8123", List.of("x"), List.of("x.a", "x.b"), List.of("data:x.a:f"), 0, 0);
        assertThat(ch.describe()).startsWith("partial restore into http://h:8123 (x): 0 data files loaded, 2 object(s) created, interrupted at"
                + " data:x.a:f");
        assertThat(new RestoreCleanup(List.of("table x.a"), List.of("database x: holds other objects")).lines())
                .containsExactly("dropped table x.a", "kept database x: holds other objects");
    }
}
