package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The restore journal, one line per event, fsync'd after each: {@code target ID}, then {@code done KEY} and
 * {@code start KEY} lines for schema objects and chunks. A crash leaves it in place; the next restore with the same
 * target resumes from it. It lives where {@link ArchiveFiles#journal()} says: {@value #FILE} inside a directory
 * archive, {@code NAME.tar.restore-journal.log} next to a tar file. Thread-safe.
 */
public final class Journal implements AutoCloseable {
    /** The journal's file name inside an archive directory (the suffix of its name next to a tar file). */
    public static final String FILE = "restore-journal.log";
    private final Path file;
    private final FileChannel channel;
    private final Set<String> done = new HashSet<>();
    private final Set<String> started = new HashSet<>();
    private final boolean resumed;

    private Journal(Path file, FileChannel channel, boolean resumed) {
        this.file = file;
        this.channel = channel;
        this.resumed = resumed;
    }

    /** Opens (resuming) or creates the journal file for a target identity. */
    public static Journal open(Path file, String target) {
        try {
            boolean exists = Files.isRegularFile(file);
            Journal j;
            if (exists) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || !lines.get(0).equals("target " + target)) {
                    throw new ArboristException(ErrorKind.CONFIGURATION, "the archive has an unfinished restore journal "
                            + file + " for another target (" + (lines.isEmpty() ? "empty" : lines.get(0)) + "); resume that"
                            + " restore, or delete " + file + " to start over");
                }
                j = new Journal(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), true);
                for (String line : lines.subList(1, lines.size())) {
                    // a torn last line (crash while writing) is ignored: that step is redone
                    if (line.startsWith("done ")) {
                        j.done.add(line.substring(5));
                    } else if (line.startsWith("start ")) {
                        j.started.add(line.substring(6));
                    }
                }
            } else {
                j = new Journal(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND), false);
                j.append("target " + target);
            }
            return j;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot open the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return whether this restore continues an earlier one */
    public boolean resumed() {
        return resumed;
    }

    /** @return whether a step is recorded as done */
    public synchronized boolean isDone(String key) {
        return done.contains(key);
    }

    /** @return whether a step was started and may or may not have committed */
    public synchronized boolean wasStarted(String key) {
        return started.contains(key) && !done.contains(key);
    }

    /** Records a step's start. */
    public void start(String key) {
        append("start " + key);
    }

    /** Records a step as done. */
    public void done(String key) {
        append("done " + key);
        synchronized (this) {
            done.add(key);
        }
    }

    private synchronized void append(String line) {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("journal line contains a newline");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot write the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Marks the restore finished: the journal is renamed ({@code restore-journal.log} to
     * {@code restore-journal.<millis>.done}) so that a later restore starts afresh.
     */
    public void finish() {
        close();
        String name = file.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        try {
            Files.move(file, file.resolveSibling(stem + "." + System.currentTimeMillis() + ".done"));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot close the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing left to flush: every line was forced
        }
    }
}
