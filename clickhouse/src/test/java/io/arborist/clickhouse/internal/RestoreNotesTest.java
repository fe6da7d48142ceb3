package io.arborist.clickhouse.internal;

import static io.arborist.clickhouse.internal.TestArchive.XAPI;
import static io.arborist.clickhouse.internal.TestArchive.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a backup writes into its manifest about the restore it will need, without a server. */
class RestoreNotesTest {
    @Test
    void objects_a_restore_refuses_and_reads_outside_the_backup_are_noted_one_line_each() {
        ManifestObject events = table("xapi", "events", ObjectKind.TABLE, "CREATE TABLE xapi.events (id UInt64) ENGINE = MergeTree ORDER BY id", "", List.of());
        ManifestObject web = table("xapi", "web", ObjectKind.TABLE, "CREATE TABLE xapi.web (x String) ENGINE = URL('http://e/', CSV)", "", List.of());
        ManifestObject view = table("xapi", "v", ObjectKind.VIEW, "CREATE VIEW xapi.v AS SELECT id FROM other.t JOIN xapi.events USING (id)", "",
                List.of());
        ManifestObject own = table("xapi", "w", ObjectKind.VIEW, "CREATE VIEW xapi.w AS SELECT id FROM xapi.events", "", List.of());

        List<String> notes = Dumper.restoreNotes(List.of(XAPI), List.of(events, web, view, own));

        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).startsWith("xapi.web: a restore refuses it (it ").endsWith("); skip it at the restore and create it by hand");
        assertThat(notes.get(1)).isEqualTo("xapi.v: reads [other.t], outside the backed-up databases; a restore needs them allowed (allowReadsFrom)");
        assertThat(Dumper.restoreNotes(List.of(XAPI), List.of(events, own))).isEmpty();
    }
}
