package io.arborist.core.execute;

import io.arborist.core.plan.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the executor records what it did, so a failed or killed run resumes where it stopped. Append-only.
 *
 * <pre>{@code
 * UpgradeJournal journal = UpgradeJournal.file(Path.of("upgrade.journal"));   // JSON lines, fsync'd per record
 * UpgradeJournal scratch = UpgradeJournal.inMemory();                       // tests, previews
 * }</pre>
 *
 * @since 0.1
 */
public interface UpgradeJournal {
    /**
     * @return every record so far, oldest first
     * @throws io.arborist.core.ArboristException of kind JOURNAL when the journal cannot be read
     */
    List<JournalEntry> entries();

    /**
     * Appends a record durably: when this returns, the record survives a crash of the process.
     *
     * @param entry the record
     */
    void append(JournalEntry entry);

    /** @return a human-readable description, e.g. the file path */
    String describe();

    /**
     * The durations this journal recorded, for estimating another run of the same upgrade (a rehearsal's journal
     * calibrates the production plan): one measurement per step that completed, with the duration of its completed
     * run (failed attempts do not count) and, for backup steps, each backup's target, size, rows and duration.
     *
     * @return a calibration without scales; add them with {@link Calibration#withScale}
     * @throws io.arborist.core.ArboristException of kind JOURNAL when the journal is empty or damaged
     */
    default Calibration calibration() {
        return Calibration.of(JournalState.measurements(entries(), UpgradeExecutor.plan(this)));
    }

    /**
     * A journal in a file of JSON lines, one record per line, each forced to disk before {@link #append} returns. A
     * last line cut short by a crash is ignored when read.
     *
     * @param file the journal file (created when missing)
     * @return the journal
     */
    static UpgradeJournal file(Path file) {
        return new JournalFile(Objects.requireNonNull(file, "file"));
    }

    /** @return a journal kept in memory (lost with the process) */
    static UpgradeJournal inMemory() {
        return new UpgradeJournal() {
            private final List<JournalEntry> entries = new ArrayList<>();

            @Override
            public synchronized List<JournalEntry> entries() {
                return List.copyOf(entries);
            }

            @Override
            public synchronized void append(JournalEntry entry) {
                entries.add(Objects.requireNonNull(entry, "entry"));
            }

            @Override
            public String describe() {
                return "in-memory journal";
            }
        };
    }
}
