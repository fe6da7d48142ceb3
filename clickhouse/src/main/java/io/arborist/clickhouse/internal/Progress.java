package io.arborist.clickhouse.internal;

import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;

/** Progress reporting shared by the export threads, throttled to every 4 MiB per stream. */
final class Progress {
    private final BackupListener listener;
    private final Instant start;
    private final long rowsTotal;
    private final int tablesTotal;
    private long rowsDone;
    private long bytesDone;
    private int tablesDone;

    Progress(BackupListener listener, Instant start, long rowsTotal, int tablesTotal) {
        this.listener = listener;
        this.start = start;
        this.rowsTotal = rowsTotal;
        this.tablesTotal = tablesTotal;
    }

    /** A stream confined to one thread that adds its byte count to the shared totals every 4 MiB and when closed. */
    OutputStream counting(OutputStream out, String table) {
        return new java.io.FilterOutputStream(out) {
            private long pending;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                add(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                add(1);
            }

            private void add(long n) {
                pending += n;
                if (pending >= 4 << 20) {
                    bytes(pending, table);
                    pending = 0;
                }
            }

            @Override
            public void close() throws IOException {
                if (pending > 0) {
                    bytes(pending, table);
                    pending = 0;
                }
                super.close();
            }
        };
    }

    private synchronized void bytes(long n, String table) {
        bytesDone += n;
        report(table);
    }

    synchronized void rows(long n) {
        rowsDone += n;
    }

    /** The server's BACKUP has written this many bytes so far. */
    synchronized void serverBytes(long n) {
        bytesDone = n;
        report("server-side BACKUP");
    }

    synchronized void tableDone(String table) {
        tablesDone++;
        report(table);
    }

    private void report(String current) {
        Duration elapsed = Duration.between(start, Instant.now());
        listener.progress(new BackupProgress("backup", current, rowsDone, rowsTotal, bytesDone, tablesDone, tablesTotal, elapsed,
                BackupProgress.eta(rowsDone, rowsTotal, elapsed)));
    }
}
