package io.arborist.tutor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoreOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Tutor-root archive format: {@code files/config.yml} and {@code files/env/...} copied from the root (owner-only
 * copies, original modes in the manifest), and {@code manifest.json}, written last, listing every entry with its size
 * and SHA-256. Symbolic links are never followed: inside {@code env/} they and special files are skipped and listed
 * by name; {@code config.yml} or {@code env} themselves being links fails the backup. Manifests hold names, sizes,
 * modes and digests, never file contents.
 */
public final class TutorRootFiles {
    /** The manifest's {@code kind}. */
    public static final String KIND = "tutor-root";
    /** The format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Where the copies are kept inside the archive. */
    public static final String FILES = "files";
    /** The config file, relative to the root. */
    public static final String CONFIG = "config.yml";
    /** The rendered environment, relative to the root. */
    public static final String ENV = "env";

    private static final Pattern MODE = Pattern.compile("(?:[r-][w-][x-]){3}");

    /**
     * One archived entry.
     *
     * @param path relative to the root, {@code /}-separated
     * @param type {@code file}, {@code directory}, or for skipped entries {@code symbolic link} or {@code special file}
     * @param bytes a file's size, otherwise 0
     * @param sha256 a file's SHA-256, otherwise empty
     * @param mode its POSIX permissions as {@code rwxr-xr-x}
     */
    public record Entry(String path, String type, long bytes, String sha256, String mode) {
        boolean isFile() {
            return type.equals("file");
        }
    }

    /**
     * What an archive holds.
     *
     * @param source the root it was taken from
     * @param created when it was completed
     * @param entries files and directories, parents before children
     * @param skipped links and special files that were not archived
     */
    public record Contents(Path source, Instant created, List<Entry> entries, List<Entry> skipped) {
        /** @return how many files */
        public int files() {
            return (int) entries.stream().filter(Entry::isFile).count();
        }

        /** @return the files' total size */
        public long bytes() {
            return entries.stream().mapToLong(Entry::bytes).sum();
        }
    }

    private TutorRootFiles() {
    }

    /**
     * Copies {@code config.yml} and {@code env/} of a root into an archive directory and writes the manifest last.
     *
     * @param root the Tutor root, already resolved to its real path
     * @param dir the archive directory, existing and empty
     * @param now when the backup completes
     * @return what was archived
     * @throws ArboristException of kind BACKUP when the root is not a Tutor root or holds a link where a file or the
     *                           environment should be
     * @throws IOException on any read or write failure
     */
    public static Contents backup(Path root, Path dir, Instant now) throws IOException {
        Path files = dir.resolve(FILES);
        Contents contents = walk(root, now, new Target() {
            @Override
            public void begin() throws IOException {
                BackupFiles.ownerOnlyDirectories(files);
            }

            @Override
            public void directory(String rel) throws IOException {
                Files.createDirectory(files.resolve(rel), ownerOnlyDirectory());
            }

            @Override
            public Entry file(Path source, String rel) throws IOException {
                return copyFile(source, files.resolve(rel), rel);
            }
        });
        BackupFiles.forceDirectory(files);
        BackupFiles.writeManifest(dir, toJson(contents));
        return contents;
    }

    /**
     * Streams {@code config.yml} and {@code env/} of a root into an archive in a store (an S3 prefix): each file is
     * uploaded as it is read and hashed on the way, as {@code files/PATH}, and the manifest (the same as in a
     * directory) is committed last.
     *
     * @param root the Tutor root, already resolved to its real path
     * @param archive the started archive
     * @param now when the backup completes
     * @return what was archived
     * @throws ArboristException of kind BACKUP when the root is not a Tutor root or holds a link where a file or the
     *                           environment should be
     * @throws IOException on any read or write failure
     */
    public static Contents backup(Path root, ArchiveWriter archive, Instant now) throws IOException {
        Contents contents = walk(root, now, new Target() {
            @Override
            public Entry file(Path source, String rel) throws IOException {
                MessageDigest d = BackupFiles.sha256();
                StoreOutputStream out = archive.create(FILES + "/" + rel);
                long bytes;
                try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
                    bytes = in.transferTo(new DigestOutputStream(out, d));
                    out.close();   // stores the object: only once the whole file was read
                } catch (IOException | RuntimeException e) {
                    out.abort();
                    throw e;
                }
                return new Entry(rel, "file", bytes, BackupFiles.hex(d), mode(source));
            }
        });
        archive.commit(BackupFiles.JSON.writeValueAsBytes(toJson(contents)));
        return contents;
    }

    /** Where the walk puts what it finds. */
    private interface Target {
        /** Called once the root is known to be a Tutor root, before anything is copied. */
        default void begin() throws IOException {
        }

        /** @param rel a directory of {@code env/}, parents first */
        default void directory(String rel) throws IOException {
        }

        /** @return the copied file's entry (size and SHA-256 of what was copied) */
        Entry file(Path source, String rel) throws IOException;
    }

    private static Contents walk(Path root, Instant now, Target target) throws IOException {
        Path config = root.resolve(CONFIG);
        BasicFileAttributes configAttrs = attributes(config);
        if (configAttrs == null) {
            throw new ArboristException(ErrorKind.BACKUP, "no " + CONFIG + " in " + root + ": it is not a Tutor root."
                    + " Point the backup at the directory `tutor config printroot` prints.");
        }
        if (!configAttrs.isRegularFile()) {
            throw new ArboristException(ErrorKind.BACKUP, config + " is " + describe(configAttrs) + ", not a regular file;"
                    + " Arborist does not follow links out of the Tutor root. Replace it with the file it points to.");
        }
        target.begin();
        List<Entry> entries = new ArrayList<>();
        List<Entry> skipped = new ArrayList<>();
        entries.add(target.file(config, CONFIG));
        Path env = root.resolve(ENV);
        BasicFileAttributes envAttrs = attributes(env);
        if (envAttrs != null && !envAttrs.isDirectory()) {
            throw new ArboristException(ErrorKind.BACKUP, env + " is " + describe(envAttrs) + ", not a directory;"
                    + " Arborist does not follow links out of the Tutor root. Run `tutor config save` to render it in place.");
        }
        if (envAttrs != null) {
            Files.walkFileTree(env, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, d);
                    target.directory(rel);
                    entries.add(new Entry(rel, "directory", 0, "", mode(d)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, f);
                    if (attrs.isRegularFile()) {
                        entries.add(target.file(f, rel));
                    } else {
                        skipped.add(new Entry(rel, describe(attrs), 0, "", ""));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return new Contents(root, now, entries, skipped);
    }

    private static java.nio.file.attribute.FileAttribute<?> ownerOnlyDirectory() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    private static Entry copyFile(Path source, Path target, String rel) throws IOException {
        MessageDigest d = BackupFiles.sha256();
        long bytes;
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            bytes = BackupFiles.copyNew(in, target, d);
        }
        return new Entry(rel, "file", bytes, BackupFiles.hex(d), mode(source));
    }

    /**
     * Reads an archive's manifest and checks every file's presence, size and SHA-256, and that nothing else is there.
     *
     * @param dir the archive directory
     * @return what it holds
     * @throws ArboristException of kind VERIFICATION naming every problem
     */
    public static Contents verify(Path dir) {
        Contents c = read(dir);
        List<String> problems = new ArrayList<>();
        Path files = dir.resolve(FILES);
        Set<String> expected = new HashSet<>();
        for (Entry e : c.entries()) {
            expected.add(e.path());
            Path p = files.resolve(e.path());
            BasicFileAttributes attrs = attributes(p);
            if (attrs == null) {
                problems.add(e.path() + ": missing");
            } else if (e.isFile() && !attrs.isRegularFile() || !e.isFile() && !attrs.isDirectory()) {
                problems.add(e.path() + ": is " + describe(attrs) + ", the manifest says " + e.type());
            } else if (e.isFile()) {
                try {
                    if (attrs.size() != e.bytes()) {
                        problems.add(e.path() + ": " + attrs.size() + " bytes, the manifest says " + e.bytes());
                    } else if (!BackupFiles.sha256Of(p).equals(e.sha256())) {
                        problems.add(e.path() + ": SHA-256 differs from the manifest");
                    }
                } catch (IOException ex) {
                    problems.add(e.path() + ": cannot be read (" + ex.getMessage() + ")");
                }
            }
        }
        try (Stream<Path> walk = Files.walk(files)) {
            walk.filter(p -> !p.equals(files)).map(p -> relative(files, p)).filter(p -> !expected.contains(p)).sorted()
                    .forEach(p -> problems.add(p + ": not in the manifest"));
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.add(FILES + "/: cannot be listed (" + e.getMessage() + ")");
        }
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + dir + " is damaged: " + problems.size()
                    + " problem(s)\n" + String.join("\n", problems));
        }
        return c;
    }

    /**
     * Reads and checks an archive's manifest, without reading the files.
     *
     * @param dir the archive directory
     * @return what it holds
     * @throws ArboristException of kind VERIFICATION when it is incomplete, foreign, too new or malformed
     */
    public static Contents read(Path dir) {
        JsonNode m;
        try {
            m = BackupFiles.readManifest(dir);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + dir + ": its manifest cannot be read ("
                    + e.getMessage() + "); the archive is damaged.", e);
        }
        if (m == null) {
            throw new ArboristException(ErrorKind.VERIFICATION, dir + " has no " + BackupFiles.MANIFEST
                    + ": it is not a complete Tutor-root backup (the manifest is written last).");
        }
        return parse(m, dir.toString());
    }

    /**
     * Checks a manifest.
     *
     * @param m the manifest
     * @param dir where the archive is, as text
     * @return what the archive holds
     * @throws ArboristException of kind VERIFICATION when it is foreign, too new or malformed
     */
    public static Contents parse(JsonNode m, String dir) {
        if (!KIND.equals(m.path("kind").asText())) {
            throw new ArboristException(ErrorKind.VERIFICATION, dir + " holds a '" + m.path("kind").asText()
                    + "' backup, not a Tutor-root backup.");
        }
        if (m.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + dir + " has format version "
                    + m.path("formatVersion").asText() + "; this Arborist reads version " + FORMAT_VERSION + ".");
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : m.path("entries")) {
                Entry entry = new Entry(safePath(e.path("path").asText()), e.path("type").asText(), e.path("bytes").asLong(),
                        e.path("sha256").asText(), e.path("mode").asText());
                if (!entry.isFile() && !entry.type().equals("directory") || !MODE.matcher(entry.mode()).matches()) {
                    throw new IllegalArgumentException("entry " + entry.path() + " has type '" + entry.type() + "' and mode '"
                            + entry.mode() + "'");
                }
                entries.add(entry);
            }
            List<Entry> skipped = new ArrayList<>();
            for (JsonNode e : m.path("skipped")) {
                skipped.add(new Entry(safePath(e.path("path").asText()), e.path("type").asText(), 0, "", ""));
            }
            if (entries.stream().noneMatch(e -> e.path().equals(CONFIG) && e.isFile())) {
                throw new IllegalArgumentException(CONFIG + " is not listed");
            }
            return new Contents(Path.of(m.path("root").asText()), Instant.parse(m.path("created").asText()), List.copyOf(entries),
                    List.copyOf(skipped));
        } catch (RuntimeException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + dir + ": the manifest is malformed ("
                    + e.getMessage() + "); the archive is damaged.", e);
        }
    }

    /**
     * Checks, without reading any file, that an archive in a store holds every file of its manifest at the size the
     * manifest gives (the encrypted size for an encrypted archive), and nothing else under {@code files/}.
     *
     * @param archive the archive
     * @param contents what its manifest lists
     * @param encryption the key, for an encrypted archive
     * @throws ArboristException of kind VERIFICATION naming every problem
     */
    public static void checkStored(ArchiveReader archive, Contents contents, Optional<EncryptionKey> encryption) {
        Map<String, Long> stored = new HashMap<>();
        archive.objects().stream().filter(o -> o.name().startsWith(FILES + "/"))
                .forEach(o -> stored.put(o.name().substring(FILES.length() + 1), o.size()));
        List<String> problems = new ArrayList<>();
        for (Entry e : contents.entries()) {
            if (!e.isFile()) {
                continue;
            }
            Long size = stored.remove(e.path());
            long expected = archive.encrypted() ? encryption.orElseThrow().ciphertextSize(e.bytes()) : e.bytes();
            if (size == null) {
                problems.add(e.path() + ": missing");
            } else if (size != expected) {
                problems.add(e.path() + ": " + size + " bytes stored, the manifest says " + expected);
            }
        }
        stored.keySet().stream().sorted().forEach(k -> problems.add(k + ": not in the manifest"));
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + archive.location() + " is damaged: "
                    + problems.size() + " problem(s): " + String.join("; ", problems));
        }
    }

    /**
     * Reads and parses the manifest of an archive in a store.
     *
     * @param archive the opened archive (decrypting when it is encrypted)
     * @return what the manifest lists
     * @throws ArboristException of kind VERIFICATION when it is malformed, foreign or too new
     */
    public static Contents readManifest(ArchiveReader archive) {
        String where = archive.location().toString();
        try {
            return parse(BackupFiles.JSON.readTree(archive.manifest()), where);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + where + ": the manifest is malformed ("
                    + e.getMessage() + "); the archive is damaged.", e);
        }
    }

    /**
     * Reads every file of an archive in a store once and checks its size and SHA-256 against the manifest, writing
     * nothing.
     *
     * @param archive the archive
     * @param contents what its manifest lists
     * @throws ArboristException of kind VERIFICATION naming every file that differs or cannot be read
     */
    public static void checkFiles(ArchiveReader archive, Contents contents) {
        List<String> problems = new ArrayList<>();
        for (Entry e : contents.entries()) {
            if (!e.isFile()) {
                continue;
            }
            MessageDigest d = BackupFiles.sha256();
            long bytes;
            try (InputStream in = archive.open(FILES + "/" + e.path())) {
                bytes = BackupFiles.digest(in, d);
            } catch (IOException ex) {
                problems.add(e.path() + ": cannot be read (" + ex.getMessage() + ")");
                continue;
            }
            if (bytes != e.bytes()) {
                problems.add(e.path() + ": " + bytes + " bytes, the manifest says " + e.bytes());
            } else if (!BackupFiles.hex(d).equals(e.sha256())) {
                problems.add(e.path() + ": SHA-256 differs from the manifest");
            }
        }
        if (!problems.isEmpty()) {
            throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + archive.location() + " is damaged: "
                    + problems.size() + " problem(s): " + String.join("; ", problems));
        }
    }

    /**
     * Copies an archive's entries from a store into a new staging directory, reading each file once and checking its
     * size and SHA-256 against the manifest as it is written, and gives files and directories their recorded modes.
     *
     * @param archive the archive
     * @param contents what its manifest lists
     * @param staging a new directory that receives {@code config.yml} and {@code env/}
     * @throws IOException on any read or write failure
     * @throws ArboristException of kind VERIFICATION naming the file whose size or SHA-256 differs
     */
    public static void copyOut(ArchiveReader archive, Contents contents, Path staging) throws IOException {
        for (Entry e : contents.entries()) {
            Path target = staging.resolve(e.path());
            if (!e.isFile()) {
                Files.createDirectory(target, ownerOnlyDirectory());
                continue;
            }
            MessageDigest d = BackupFiles.sha256();
            long bytes;
            try (InputStream in = archive.open(FILES + "/" + e.path())) {
                bytes = BackupFiles.copyNew(in, target, d);
            }
            if (bytes != e.bytes() || !BackupFiles.hex(d).equals(e.sha256())) {
                throw new ArboristException(ErrorKind.VERIFICATION, "Tutor-root archive " + archive.location() + ": " + FILES + "/"
                        + e.path() + (bytes != e.bytes() ? " has " + bytes + " bytes, the manifest says " + e.bytes()
                        : " does not match its SHA-256 in the manifest") + ": it was changed or damaged");
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(e.mode()));
        }
        List<Entry> dirs = new ArrayList<>(contents.entries().stream().filter(e -> !e.isFile()).toList());
        java.util.Collections.reverse(dirs);
        for (Entry e : dirs) {
            Files.setPosixFilePermissions(staging.resolve(e.path()), PosixFilePermissions.fromString(e.mode()));
        }
    }

    private static ObjectNode toJson(Contents c) {
        ObjectNode m = BackupFiles.JSON.createObjectNode();
        m.put("kind", KIND);
        m.put("formatVersion", FORMAT_VERSION);
        m.put("tool", "arborist");
        m.put("toolVersion", BackupFiles.TOOL_VERSION);
        m.put("created", c.created().toString());
        m.put("root", c.source().toString());
        m.put("files", c.files());
        m.put("bytes", c.bytes());
        ArrayNode entries = m.putArray("entries");
        for (Entry e : c.entries()) {
            ObjectNode o = entries.addObject().put("path", e.path()).put("type", e.type()).put("mode", e.mode());
            if (e.isFile()) {
                o.put("bytes", e.bytes()).put("sha256", e.sha256());
            }
        }
        ArrayNode skipped = m.putArray("skipped");
        c.skipped().forEach(e -> skipped.addObject().put("path", e.path()).put("type", e.type()));
        return m;
    }

    /** A manifest path must stay inside the archive and the root: relative, normalized, under config.yml or env. */
    private static String safePath(String path) {
        Path p = Path.of(path);
        if (path.isEmpty() || p.isAbsolute() || !p.normalize().toString().equals(path) || path.startsWith("..")
                || !(path.equals(CONFIG) || path.equals(ENV) || path.startsWith(ENV + "/"))) {
            throw new IllegalArgumentException("path '" + path + "' is outside config.yml and env/");
        }
        return path;
    }

    private static String relative(Path base, Path p) {
        return base.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .permissions());
    }

    /** @return the attributes of a path, links not followed, or {@code null} when it does not exist */
    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(BasicFileAttributes a) {
        return a.isSymbolicLink() ? "symbolic link" : a.isDirectory() ? "directory" : a.isRegularFile() ? "file" : "special file";
    }
}
