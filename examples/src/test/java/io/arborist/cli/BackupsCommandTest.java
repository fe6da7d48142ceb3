package io.arborist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.StoreOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ArboristCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private void archive(BackupStore store, String name, int daysAgo, boolean commit) throws IOException {
        ArchiveWriter w = ArchiveWriter.into(store, name).start();
        StoreOutputStream o = w.create("t.zst");
        o.write(new byte[2048]);
        o.close();
        if (commit) {
            w.commit(new byte[] {'{', '}'});
            Files.setLastModifiedTime(dir.resolve(name).resolve("manifest.json"),
                    FileTime.from(Instant.now().minus(Duration.ofDays(daysAgo))));
        }
    }

    @Test
    void listsAndPrunesALocalDestination() throws IOException {
        try (BackupStore store = BackupStores.builder().build().open(dir.toString())) {
            archive(store, "run1/mysql", 60, true);
            archive(store, "run2/mysql", 10, true);
            archive(store, "run3/mysql", 1, true);
            archive(store, "run4/mysql", 0, false);
        }
        assertThat(run("backups", "list", dir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("3 complete, 1 partial under " + dir)
                .containsPattern("complete .* UTC +2\\.[0-9] KiB +3 objects  " + dir.resolve("run3/mysql"))
                .containsPattern("PARTIAL .*" + dir.resolve("run4/mysql"));

        assertThat(run("backups", "prune", dir.toString(), "--older-than", "30d", "--dry-run")).isZero();
        assertThat(out.toString()).contains("would remove complete").contains("Dry run: would remove 1, kept 3.");
        assertThat(dir.resolve("run1/mysql/manifest.json")).exists();

        assertThat(run("backups", "prune", dir.toString(), "--keep", "1")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Removed 2, kept 2.");
        assertThat(dir.resolve("run1")).doesNotExist();
        assertThat(dir.resolve("run2")).doesNotExist();
        assertThat(dir.resolve("run3/mysql/manifest.json")).exists();
        assertThat(dir.resolve("run4/mysql/t.zst")).exists();   // partial: only with --partial

        assertThat(run("backups", "prune", dir.toString(), "--partial")).isZero();
        assertThat(dir.resolve("run4")).doesNotExist();
    }

    @Test
    void badInputIsOneLineWithStatusTwo() {
        assertThat(run("backups", "list", "gs://bucket/x")).isEqualTo(2);
        assertThat(err.toString()).contains("unsupported backup destination 'gs://bucket/x'").hasLineCount(1);
        assertThat(run("backups", "prune", dir.toString(), "--older-than", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--older-than 'soon' is not an age");
        assertThat(run("backups", "prune", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("say what to prune");
        assertThat(run("backups", "list", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }
}
