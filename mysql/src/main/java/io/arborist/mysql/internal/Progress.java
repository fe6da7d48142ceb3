package io.arborist.mysql.internal;

import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thread-safe progress counters reported to a listener. */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private final String operation;
    private final BackupListener listener;
    private final long started = System.nanoTime();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private volatile long rowsTotal = -1;
    private volatile int tablesTotal;

    /** @param operation backup, restore or verify */
    public Progress(String operation, BackupListener listener) {
        this.operation = operation;
        this.listener = listener;
    }

    /** Sets the totals. */
    public void totals(long rowsExpected, int tables) {
        this.rowsTotal = rowsExpected;
        this.tablesTotal = tables;
    }

    /** Adds work done and reports. */
    public void add(String current, long rowsDelta, long bytesDelta) {
        rows.addAndGet(rowsDelta);
        bytes.addAndGet(bytesDelta);
        report(current);
    }

    /** Counts a finished table and reports. */
    public void tableDone(String current) {
        tablesDone.incrementAndGet();
        report(current);
    }

    /** Reports the current state. */
    public void report(String current) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        long r = rows.get();
        try {
            listener.progress(new BackupProgress(operation, current, r, rowsTotal, bytes.get(), tablesDone.get(), tablesTotal,
                    elapsed, BackupProgress.eta(r, rowsTotal, elapsed)));
        } catch (RuntimeException e) {
            LOG.warn("progress listener failed (ignored): {}", e.toString());
        }
    }

    /** @return rows so far */
    public long rows() {
        return rows.get();
    }
}
