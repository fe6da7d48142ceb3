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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The restore journal, one line per event, fsync'd after each: {@code target ID} and {@code database I NAME} header
 * lines, then {@code start KEY} and {@code done KEY} lines for databases, tables, objects, indexes and chunks. It is
 * written only once the restore is about to change something (a restore refused by its checks or that cannot reach
 * its server leaves none); a crash leaves it in place, and the next restore with the same target resumes from it, or
 * a cleanup drops what it records as created ({@code start database|table|object I}). It lives where
 * {@link ArchiveFiles#journal()} says: {@value #FILE} inside a directory archive, {@code NAME.tar.restore-journal.log}
 * next to a tar file, owner-only. A journal whose last line a crash cut short is read without that line, and the next
 * line starts on a line of its own. Thread-safe.
 */
public final class Journal implements AutoCloseable {
    /** The journal's file name inside an archive directory (the suffix of its name next to a tar file). */
    public static final String FILE = "restore-journal.log";
    private static final String TARGET = "target ";
    private static final String DATABASE = "database ";
    private final Path file;
    private final String identity;
    private final List<String> header;
    private final Set<String> done = new HashSet<>();
    private final Set<String> started = new HashSet<>();
    private final boolean resumed;
    private final boolean torn;
    private FileChannel channel;

    private Journal(Path file, String identity, List<String> header, boolean resumed, boolean torn) {
        this.file = file;
        this.identity = identity;
        this.header = header;
        this.resumed = resumed;
        this.torn = torn;
    }

    /**
     * What an unfinished restore recorded.
     *
     * @param target the restore's target (server and user)
     * @param identity the whole identity line (target, renames, manifest)
     * @param databases the target databases
     * @param done the steps recorded as done
     * @param started the steps recorded as started
     * @param torn whether its last line was cut short
     */
    public record State(String target, String identity, List<String> databases, Set<String> done, Set<String> started,
                        boolean torn) {
        /** @return whether the restore changed anything (a journal with its header only did not) */
        public boolean changed() {
            return !done.isEmpty() || !started.isEmpty();
        }
    }

    /** @return the journal's state, or empty when there is none */
    public static Optional<State> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines;
        boolean torn;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            lines = new ArrayList<>(text.lines().toList());
            torn = !text.isEmpty() && !text.endsWith("\n");
            if (torn) {
                lines.remove(lines.size() - 1); // cut short by a crash: that step is redone
            }
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot read the restore journal " + file + ": " + e.getMessage(), e);
        }
        String id = lines.isEmpty() || !lines.get(0).startsWith(TARGET) ? "" : lines.get(0).substring(TARGET.length());
        int cut = id.indexOf(" rename=");
        List<String> databases = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> started = new HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.startsWith("done ")) {
                done.add(line.substring(5));
            } else if (line.startsWith("start ")) {
                started.add(line.substring(6));
            } else if (line.startsWith(DATABASE)) {
                int sp = line.indexOf(' ', DATABASE.length());
                databases.add(sp < 0 ? "" : line.substring(sp + 1));
            }
        }
        return Optional.of(new State(cut < 0 ? id : id.substring(0, cut), id, List.copyOf(databases), Set.copyOf(done),
                Set.copyOf(started), torn));
    }

    /**
     * Reads the journal for a restore with this identity, writing nothing yet: a journal of the same restore is
     * resumed; one of another restore that changed nothing is replaced on the first write.
     *
     * @param header the lines after the identity (the target databases), written with it
     * @throws ArboristException CONFIGURATION when the journal records an unfinished restore to another target
     */
    public static Journal prepare(Path file, String identity, List<String> header) {
        Optional<State> state = read(file);
        boolean same = state.isPresent() && state.get().identity().equals(identity);
        if (state.isPresent() && !same && state.get().changed()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "an unfinished restore of this archive into "
                    + state.get().target() + " left its target partial (journal " + file + "); resume it (run that restore"
                    + " again) or clean it up (--cleanup with the same --url, --user and --rename), then restore elsewhere;"
                    + " or delete " + file + " to leave that target as it is");
        }
        Journal j = new Journal(file, identity, header, same && state.get().changed(), same && state.get().torn());
        if (same) {
            j.done.addAll(state.get().done());
            j.started.addAll(state.get().started());
        }
        return j;
    }

    /** @return whether this restore continues an earlier one */
    public boolean resumed() {
        return resumed;
    }

    /** @return whether a step is recorded as done */
    public synchronized boolean isDone(String key) {
        return done.contains(key);
    }

    /** @return whether a step was recorded as started (it may or may not have finished) */
    public synchronized boolean isStarted(String key) {
        return started.contains(key);
    }

    /** @return whether a step was started and may or may not have committed */
    public synchronized boolean wasStarted(String key) {
        return started.contains(key) && !done.contains(key);
    }

    /** Records a step's start. */
    public void start(String key) {
        append("start " + key);
        synchronized (this) {
            started.add(key);
        }
    }

    /** Records a step as done. */
    public void done(String key) {
        append("done " + key);
        synchronized (this) {
            done.add(key);
        }
    }

    private synchronized void append(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("journal line contains a line break");
        }
        try {
            if (channel == null) {
                open();
            }
            write(line + "\n");
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot write the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens the file on the first write: appends to the journal resumed, or starts a new one (owner-only). */
    private void open() throws IOException {
        if (resumed) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (torn) {
                write("\n"); // the torn line stays torn (and unread); the next one starts on its own line
            }
            return;
        }
        Files.deleteIfExists(file);
        channel = OwnerOnly.newFile(file);
        StringBuilder sb = new StringBuilder(TARGET).append(identity).append('\n');
        for (String h : header) {
            if (h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("journal line contains a line break");
            }
            sb.append(h).append('\n');
        }
        write(sb.toString());
    }

    private void write(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    /** @return a header line naming the target database of the archive's database number i */
    public static String database(int i, String target) {
        return DATABASE + i + " " + target;
    }

    /**
     * Marks the restore finished: the journal, when one was written, is renamed ({@code restore-journal.log} to
     * {@code restore-journal.<millis>.done}) so that a later restore starts afresh.
     */
    public void finish() {
        retire("done");
    }

    /** Marks the restore cleaned up: the journal is renamed to {@code restore-journal.<millis>.cleaned}. */
    public void cleaned() {
        retire("cleaned");
    }

    private void retire(String suffix) {
        close();
        if (!Files.exists(file)) {
            return;
        }
        String name = file.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        try {
            Files.move(file, file.resolveSibling(stem + "." + System.currentTimeMillis() + "." + suffix));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot close the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing left to flush: every line was forced
        }
    }
}
