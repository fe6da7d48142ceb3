package io.arborist.core.backup;

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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The restore journal both adapters keep, so that a killed restore resumes where it stopped and an unfinished one can be
 * reported and cleaned up. For adapters; callers see it through {@link PartialRestore}.
 *
 * <p>One line per event, forced to disk before the call returns:
 * <pre>
 * arborist-restore-journal TARGET        the server (and user) restored into
 * settings SETTINGS                      what else makes it the same restore (renames, the manifest's digest)
 * database NAME                          each target database
 * begin STEP | done STEP | note KEY VALUE
 * </pre>
 * The file is created (0600, missing parent directories 0700) with the first event, so a restore refused by its checks
 * or that cannot reach its server leaves none. A line a crash cut short is ignored when read and cut off before the next
 * event is written. A journal that is a symbolic link, not a regular file, owned by another user or writable by group or
 * others is refused: it decides what a resumed restore skips and drops. When the restore finishes (or is cleaned up) the
 * journal is renamed to {@code STEM.<millis>.done} ({@code .cleaned}), {@code STEM} being its name without a
 * {@code .log} or {@code .journal} suffix, so a later restore starts afresh. Thread-safe.
 *
 * @since 0.3
 */
public final class RestoreJournal implements AutoCloseable {
    private static final String MAGIC = "arborist-restore-journal ";
    private static final String SETTINGS = "settings ";
    private static final String DATABASE = "database ";
    private final Path file;
    private final String target;
    private final String settings;
    private final List<String> databases;
    private final Set<String> begun = new HashSet<>();
    private final Set<String> done = new LinkedHashSet<>();
    private final Map<String, String> notes = new HashMap<>();
    private final boolean resumed;
    private final long whole;
    private FileChannel channel;

    private RestoreJournal(Path file, String target, String settings, List<String> databases, Optional<State> same) {
        this.file = file;
        this.target = target;
        this.settings = settings;
        this.databases = List.copyOf(databases);
        this.resumed = same.isPresent();
        this.whole = same.map(State::wholeBytes).orElse(0L);
        same.ifPresent(s -> {
            begun.addAll(s.begun());
            done.addAll(s.done());
            notes.putAll(s.notes());
        });
    }

    /**
     * What a journal recorded.
     *
     * @param file the journal file
     * @param target the server (and user) restored into
     * @param settings what else identifies the restore
     * @param databases the target databases
     * @param begun the steps recorded as begun (finished or not); a step recorded only as done (something the restore
     *     found in place and did not create) is not among them
     * @param done the steps finished, in the order they finished
     * @param notes facts noted (the last value of each key)
     * @param torn whether its last line was cut short (and is ignored)
     * @param wholeBytes the length of its whole lines
     */
    public record State(Path file, String target, String settings, List<String> databases, Set<String> begun, List<String> done,
                        Map<String, String> notes, boolean torn, long wholeBytes) {
        /**
         * Copies.
         *
         * @param file the journal file
         * @param target the server (and user) restored into
         * @param settings what else identifies the restore
         * @param databases the target databases
         * @param begun the steps recorded as begun (finished or not); a step recorded only as done (something the restore found in
         *     place and did not create) is not among them
         * @param done the steps finished, in the order they finished
         * @param notes facts noted (the last value of each key)
         * @param torn whether its last line was cut short (and is ignored)
         * @param wholeBytes the length of its whole lines
         */
        public State {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(settings, "settings");
            databases = List.copyOf(databases);
            begun = Set.copyOf(begun);
            done = List.copyOf(done);
            notes = Map.copyOf(notes);
        }

        /** @return whether the restore recorded any step (one that did not changed nothing) */
        public boolean changed() {
            return !begun.isEmpty() || !done.isEmpty();
        }

        /**
         * @param step the step's name (a data file, an object)
         * @return whether a step finished
         */
        public boolean isDone(String step) {
            return done.contains(step);
        }

        /**
         * @param step the step's name (a data file, an object)
         * @return whether a step began and did not finish (it was interrupted)
         */
        public boolean interrupted(String step) {
            return begun.contains(step) && !done.contains(step);
        }

        /** @return the steps begun and not finished, sorted */
        public List<String> interrupted() {
            return begun.stream().filter(s -> !done.contains(s)).sorted().toList();
        }
    }

    /**
     * Reads a journal without changing it (for a status or a cleanup).
     *
     * @param file the journal file
     * @return what it recorded, or empty when there is none (or nothing whole in it)
     * @throws ArboristException of kind JOURNAL when it cannot be read, is not a restore journal, or others may write it
     */
    public static Optional<State> read(Path file) {
        Objects.requireNonNull(file, "file");
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
            String text = new String(bytes, 0, whole, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            List<String> lines = text.lines().toList();
            if (!lines.get(0).startsWith(MAGIC)) {
                throw new ArboristException(ErrorKind.JOURNAL, file + " is not an Arborist restore journal (or one of a version before 0.3); remove it,"
                        + " then run the restore again");
            }
            String settings = "";
            List<String> databases = new ArrayList<>();
            Set<String> begun = new HashSet<>();
            Set<String> done = new LinkedHashSet<>();
            Map<String, String> notes = new HashMap<>();
            for (String l : lines.subList(1, lines.size())) {
                if (l.startsWith("begin ")) {
                    begun.add(l.substring(6));
                } else if (l.startsWith("done ")) {
                    done.add(l.substring(5));
                } else if (l.startsWith("note ") && l.indexOf(' ', 5) > 0) {
                    notes.put(l.substring(5, l.indexOf(' ', 5)), l.substring(l.indexOf(' ', 5) + 1));
                } else if (l.startsWith(SETTINGS)) {
                    settings = l.substring(SETTINGS.length());
                } else if (l.startsWith(DATABASE)) {
                    databases.add(l.substring(DATABASE.length()));
                }
            }
            return Optional.of(new State(file, lines.get(0).substring(MAGIC.length()), settings, databases, begun, new ArrayList<>(done), notes,
                    whole < bytes.length, whole));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot read the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the journal of one restore, writing nothing yet: a journal of the same restore (same target and settings) is
     * resumed; one of another restore that recorded no step is replaced with the first event.
     *
     * @param file the journal file
     * @param target the server (and user) restored into, one line, no password
     * @param settings what else identifies the restore (renames, the manifest's digest), one line
     * @param databases the target databases
     * @return the journal, with what it recorded
     * @throws ArboristException of kind JOURNAL when the file records an unfinished restore with another target or settings,
     *     cannot be read, or is not trusted
     */
    public static RestoreJournal open(Path file, String target, String settings, List<String> databases) {
        Objects.requireNonNull(file, "file");
        String t = oneLine(Objects.requireNonNull(target, "target"));
        String s = oneLine(Objects.requireNonNull(settings, "settings"));
        databases.forEach(RestoreJournal::oneLine);
        Optional<State> state = read(file);
        boolean same = state.isPresent() && state.get().target().equals(t) && state.get().settings().equals(s);
        if (state.isPresent() && !same && state.get().changed()) {
            throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " belongs to an unfinished restore into " + state.get().target()
                    + " (" + state.get().settings() + ") that left its target partial; resume it (run that restore again) or clean it up (--cleanup"
                    + " with the same options), then restore elsewhere; or remove " + file + " to leave that target as it is");
        }
        return new RestoreJournal(file, t, s, databases, same ? state : Optional.empty());
    }

    private static String oneLine(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a journal entry must be one line");
        }
        return s;
    }

    /** A journal decides what a resumed restore skips, truncates and drops: only its owner may write it. */
    private static void trusted(Path file) throws IOException {
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " is not a regular file; remove it");
        }
        Set<String> views = file.getFileSystem().supportedFileAttributeViews();
        if (views.contains("posix")) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            boolean foreign = views.contains("unix")
                    && ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() != new UnixSystem().getUid();
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE) || foreign) {
                throw new ArboristException(ErrorKind.JOURNAL, "restore journal " + file + " is owned or writable by another user; a journal decides"
                        + " what a resumed restore skips and drops: remove it, or chown it and chmod 600 it");
            }
        }
    }

    /** @return the journal file */
    public Path file() {
        return file;
    }

    /** @return the server (and user) restored into */
    public String target() {
        return target;
    }

    /** @return whether this restore continues an earlier one that recorded steps */
    public boolean resumed() {
        return resumed;
    }

    /**
     * @param step the step's name (a data file, an object)
     * @return whether a step finished
     */
    public synchronized boolean isDone(String step) {
        return done.contains(step);
    }

    /**
     * @param step the step's name (a data file, an object)
     * @return whether a step was recorded as begun (finished or not; a step recorded only as done was not)
     */
    public synchronized boolean begun(String step) {
        return begun.contains(step);
    }

    /**
     * @param step the step's name (a data file, an object)
     * @return whether a step began and did not finish (it was interrupted)
     */
    public synchronized boolean interrupted(String step) {
        return begun.contains(step) && !done.contains(step);
    }

    /** @return the steps recorded as begun, finished or not */
    public synchronized Set<String> begunSteps() {
        return Set.copyOf(begun);
    }

    /** @return the finished steps, in the order they finished */
    public synchronized List<String> doneSteps() {
        return List.copyOf(done);
    }

    /**
     * @param key the note's key
     * @return the value last noted for a key, if any
     */
    public synchronized Optional<String> noted(String key) {
        return Optional.ofNullable(notes.get(key));
    }

    /**
     * Records that a step begins.
     *
     * @param step the step's name (a data file, an object)
     */
    public synchronized void begin(String step) {
        append("begin " + oneLine(step));
        begun.add(step);
    }

    /**
     * Records that a step finished.
     *
     * @param step the step's name (a data file, an object)
     */
    public synchronized void done(String step) {
        append("done " + oneLine(step));
        done.add(step);
    }

    /**
     * Records a fact a resumed run needs (the last value of a key wins).
     *
     * @param key a key without spaces
     * @param value its value, one line
     */
    public synchronized void note(String key, String value) {
        if (key.isEmpty() || key.contains(" ")) {
            throw new IllegalArgumentException("journal note keys have no spaces, got '" + key + "'");
        }
        append("note " + oneLine(key) + " " + oneLine(value));
        notes.put(key, value);
    }

    private void append(String line) {
        try {
            if (channel == null) {
                open();
            }
            write(line + "\n");
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot write the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** On the first event: appends to the journal resumed (its torn tail cut off), or starts a new one, owner-only. */
    private void open() throws IOException {
        if (resumed) {
            trusted(file);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
            if (channel.size() > whole) {
                channel.truncate(whole);
            }
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent, posix);
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            trusted(file);
            Files.delete(file);
        }
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))} : new FileAttribute<?>[0];
        channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs);
        StringBuilder sb = new StringBuilder(MAGIC).append(target).append('\n').append(SETTINGS).append(settings).append('\n');
        databases.forEach(d -> sb.append(DATABASE).append(d).append('\n'));
        write(sb.toString());
    }

    private static void createDirectories(Path dir, boolean posix) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent, posix);
        }
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))}
                : new FileAttribute<?>[0];
        Files.createDirectory(dir, attrs);
    }

    private void write(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    /** Marks the restore finished: the journal, when one was written, is renamed to {@code STEM.<millis>.done}. */
    public void finish() {
        retire("done");
    }

    /** Marks the restore cleaned up: the journal, when one was written, is renamed to {@code STEM.<millis>.cleaned}. */
    public void cleaned() {
        retire("cleaned");
    }

    private synchronized void retire(String suffix) {
        close();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String name = file.getFileName().toString();
        String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4)
                : name.endsWith(".journal") ? name.substring(0, name.length() - 8) : name;
        try {
            Files.move(file, file.resolveSibling(stem + "." + System.currentTimeMillis() + "." + suffix));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "cannot retire the restore journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the file; the journal stays for a resume. */
    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to flush: every line was forced
        }
        channel = null;
    }

    @Override
    public String toString() {
        return "RestoreJournal[" + file + ", into " + target + "]";
    }
}
