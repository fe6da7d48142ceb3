package io.arborist.clickhouse.internal;

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
 * An append-only restore journal: one line per event ({@code begin STEP}, {@code done STEP}, {@code note KEY VALUE}),
 * forced to disk before the call returns, so a killed restore knows which steps finished and which one was interrupted.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final Set<String> begun = new HashSet<>();
    private final Set<String> done = new HashSet<>();
    private final java.util.Map<String, String> notes = new java.util.HashMap<>();

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens (or creates) a journal for one target.
     *
     * @param file journal file
     * @param header identifies the target; an existing journal with another header is refused
     * @return the journal with the events read back
     */
    public static Journal open(Path file, String header) {
        try {
            boolean exists = Files.exists(file);
            if (exists) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || !lines.get(0).equals("arborist-clickhouse-restore " + header)) {
                    throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " belongs to another restore ("
                            + (lines.isEmpty() ? "empty" : lines.get(0)) + "); remove it or pass another --journal");
                }
                Journal j = new Journal(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
                for (String l : lines.subList(1, lines.size())) {
                    if (l.startsWith("begin ")) {
                        j.begun.add(l.substring(6));
                    } else if (l.startsWith("done ")) {
                        j.done.add(l.substring(5));
                    } else if (l.startsWith("note ") && l.indexOf(' ', 5) > 0) {
                        j.notes.put(l.substring(5, l.indexOf(' ', 5)), l.substring(l.indexOf(' ', 5) + 1));
                    }
                }
                return j;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Journal j = new Journal(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            j.append("arborist-clickhouse-restore " + header);
            return j;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot open restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return whether the journal holds any step (a resumed restore) */
    public boolean resumed() {
        return !begun.isEmpty() || !done.isEmpty() || !notes.isEmpty();
    }

    /** @return whether the step finished */
    public boolean isDone(String step) {
        return done.contains(step);
    }

    /** @return whether the step began and did not finish (it was interrupted) */
    public boolean interrupted(String step) {
        return begun.contains(step) && !done.contains(step);
    }

    /** Records that a step begins. */
    public void begin(String step) {
        begun.add(step);
        append("begin " + step);
    }

    /**
     * Records a fact a resumed run needs (the last value of a key wins).
     *
     * @param key a key without spaces
     * @param value its value
     */
    public void note(String key, String value) {
        if (key.isEmpty() || key.contains(" ")) {
            throw new IllegalArgumentException("journal note keys have no spaces, got '" + key + "'");
        }
        notes.put(key, value);
        append("note " + key + " " + value);
    }

    /** @return the value last noted for the key, if any */
    public java.util.Optional<String> noted(String key) {
        return java.util.Optional.ofNullable(notes.get(key));
    }

    /** Records that a step finished. */
    public void done(String step) {
        done.add(step);
        append("done " + step);
    }

    private void append(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot write restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot close restore journal " + file + ": " + e.getMessage(), e);
        }
    }
}
