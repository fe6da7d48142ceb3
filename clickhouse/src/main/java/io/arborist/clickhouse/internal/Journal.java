package io.arborist.clickhouse.internal;

import com.sun.security.auth.module.UnixSystem;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An append-only restore journal: a header line naming the target, then one line per event ({@code begin STEP},
 * {@code done STEP}, {@code note KEY VALUE}), forced to disk before the call returns, so a killed restore knows which
 * steps finished and which one was interrupted. The file is created (0600) only when the first event is written, so a
 * restore refused or unable to connect before it changed anything leaves none; a finished restore deletes it. A line
 * cut by a crash is cut off when the journal is opened again.
 */
public final class Journal implements AutoCloseable {
    private static final String MAGIC = "arborist-clickhouse-restore ";
    private final Path file;
    private final String header;
    private FileChannel channel;
    private final Set<String> begun = new HashSet<>();
    private final Set<String> done = new HashSet<>();
    private final List<String> order = new ArrayList<>();
    private final Map<String, String> notes = new HashMap<>();

    private Journal(Path file, String header) {
        this.file = file;
        this.header = header;
    }

    /**
     * Where a restore of a backup keeps its journal unless told otherwise: next to the backup
     * ({@code <backup>.restore.journal}), never inside it, so a journal that came with an archive is never resumed.
     *
     * @param backup the backup directory
     * @return the journal's path
     */
    public static Path defaultFor(Path backup) {
        Path abs = backup.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return parent == null ? abs.resolve("restore.journal") : parent.resolve(abs.getFileName() + ".restore.journal");
    }

    /**
     * Opens a journal for one target; the file is created when the first event is written.
     *
     * @param file journal file
     * @param header identifies the target (one line); an existing journal with another header is refused
     * @return the journal with the events read back
     * @throws ArboristException of kind JOURNAL when the file belongs to another restore or others may write it
     */
    public static Journal open(Path file, String header) {
        Journal j = new Journal(file, header.replace('\n', ' '));
        Optional<List<String>> lines = lines(file);
        if (lines.isEmpty()) {
            return j;
        }
        String found = lines.get().get(0).substring(MAGIC.length());
        if (!found.equals(j.header)) {
            throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " belongs to an unfinished restore into " + DdlPolicy.shown(found)
                    + "; resume it (the same --url and --rename), drop what it created (--cleanup with those options), or pass another --journal");
        }
        j.read(lines.get());
        return j;
    }

    /**
     * Reads a journal without opening it for writing (for a status).
     *
     * @param file journal file
     * @return its header and events, or empty when there is none
     */
    public static Optional<Journal> peek(Path file) {
        return lines(file).map(l -> {
            Journal j = new Journal(file, l.get(0).substring(MAGIC.length()));
            j.read(l);
            return j;
        });
    }

    /** @return the journal's lines, its torn tail cut off; empty when there is no journal (or nothing whole in it) */
    private static Optional<List<String>> lines(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            trusted(file);
            byte[] bytes = Files.readAllBytes(file);
            int whole = bytes.length;
            while (whole > 0 && bytes[whole - 1] != '\n') {
                whole--;
            }
            if (whole < bytes.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(whole);
                    ch.force(true);
                }
            }
            String text = new String(bytes, 0, whole, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                Files.delete(file);
                return Optional.empty();
            }
            List<String> lines = text.lines().toList();
            if (!lines.get(0).startsWith(MAGIC)) {
                throw new ArboristException(ErrorKind.JOURNAL, file + " is not a ClickHouse restore journal; remove it or pass another --journal");
            }
            return Optional.of(lines);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot read restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A journal decides what a resumed restore skips, truncates and drops: only its owner may write it. */
    private static void trusted(Path file) throws IOException {
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " is not a regular file; remove it or pass another --journal");
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            boolean foreign = file.getFileSystem().supportedFileAttributeViews().contains("unix")
                    && ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() != new UnixSystem().getUid();
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE) || foreign) {
                throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " is owned or writable by another user; a journal decides"
                        + " what a resumed restore skips and drops: remove it, or chown it and chmod 600 it");
            }
        }
    }

    private void read(List<String> lines) {
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("begin ")) {
                begun.add(l.substring(6));
            } else if (l.startsWith("done ")) {
                done.add(l.substring(5));
                order.add(l.substring(5));
            } else if (l.startsWith("note ") && l.indexOf(' ', 5) > 0) {
                notes.put(l.substring(5, l.indexOf(' ', 5)), l.substring(l.indexOf(' ', 5) + 1));
            }
        }
    }

    /** @return the target this journal belongs to */
    public String header() {
        return header;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return whether the journal holds any event (a resumed restore) */
    public boolean resumed() {
        return !begun.isEmpty() || !done.isEmpty() || !notes.isEmpty();
    }

    /** @return whether the step finished */
    public boolean isDone(String step) {
        return done.contains(step);
    }

    /** @return whether the step began (finished or not) */
    public boolean begun(String step) {
        return begun.contains(step) || done.contains(step);
    }

    /** @return whether the step began and did not finish (it was interrupted) */
    public boolean interrupted(String step) {
        return begun.contains(step) && !done.contains(step);
    }

    /** @return the steps begun, finished or not */
    public Set<String> begunSteps() {
        Set<String> all = new HashSet<>(begun);
        all.addAll(done);
        return all;
    }

    /** @return the finished steps, in the order they finished */
    public List<String> doneSteps() {
        return List.copyOf(order);
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
    public Optional<String> noted(String key) {
        return Optional.ofNullable(notes.get(key));
    }

    /** Records that a step finished. */
    public void done(String step) {
        done.add(step);
        order.add(step);
        append("done " + step);
    }

    /** Removes the journal (a finished restore, or one whose objects were dropped). */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot remove restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void append(String line) {
        try {
            if (channel == null) {
                boolean fresh = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
                Path parent = file.toAbsolutePath().getParent();
                if (fresh && parent != null) {
                    OwnerOnly.directories(parent);
                }
                channel = fresh ? OwnerOnly.channel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                        : FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                if (fresh) {
                    write(MAGIC + header);
                }
            }
            write(line);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot write restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
            channel = null;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot close restore journal " + file + ": " + e.getMessage(), e);
        }
    }
}
