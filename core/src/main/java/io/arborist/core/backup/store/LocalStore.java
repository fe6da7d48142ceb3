package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** A store in a local directory: files owner-only (0600, directories 0700), written to a temporary file and renamed. */
final class LocalStore implements BackupStore, Leftovers {
    private final Path root;
    private final boolean posix;

    LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public Destination destination() {
        return new Destination.LocalDirectory(root);
    }

    private Path path(String name) {
        return root.resolve(ObjectNames.check(name));
    }

    private FileAttribute<?>[] dirAttributes() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, dirAttributes());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    @Override
    public StoreOutputStream create(String name) {
        Path target = path(name);
        try {
            createDirectories(target.getParent());
            Path temp = target.resolveSibling(ObjectNames.TEMP + UUID.randomUUID());
            FileChannel channel = posix
                    ? FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new LocalOutput(channel, temp, target);
        } catch (IOException e) {
            throw failure("cannot create", target, e);
        }
    }

    private static ArboristException failure(String what, Path file, IOException e) {
        return new ArboristException(ErrorKind.BACKUP, what + " " + file + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null || e instanceof NoSuchFileException ? "" : " (" + e.getMessage() + ")"), e);
    }

    private static ArboristException missing(Path file) {
        return new ArboristException(ErrorKind.VERIFICATION, file + " is missing");
    }

    @Override
    public InputStream open(String name) {
        Path file = path(name);
        try {
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw missing(file);
        } catch (IOException e) {
            throw failure("cannot read", file, e);
        }
    }

    @Override
    public InputStream open(String name, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + " and " + length);
        }
        Path file = path(name);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            channel.position(offset);
            return new Bounded(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException e) {
            throw missing(file);
        } catch (IOException e) {
            throw failure("cannot read", file, e);
        }
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        Path file = path(name);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? Optional.of(new StoredObject(name, a.size(), a.lastModifiedTime().toInstant())) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read", file, e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        Path dir = prefix.isEmpty() ? root : path(prefix);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<StoredObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && !p.getFileName().toString().startsWith(ObjectNames.TEMP)) {
                        String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                        out.add(new StoredObject(name, a.size(), a.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // removed while listing
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw failure("cannot list", dir, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        out.sort(Comparator.comparing(StoredObject::name));
        return out;
    }

    @Override
    public List<StoredObject> leftovers(String prefix) {
        Path dir = prefix.isEmpty() ? root : path(prefix);
        List<StoredObject> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(ObjectNames.TEMP) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> {
                        try {
                            out.add(new StoredObject(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
                                    Files.size(p), Files.getLastModifiedTime(p).toInstant()));
                        } catch (IOException e) {
                            // gone already
                        }
                    });
        } catch (IOException e) {
            throw failure("cannot list", dir, e);
        }
        return out;
    }

    @Override
    public void discard(StoredObject leftover) {
        deleteFile(leftover.name());
    }

    @Override
    public void delete(String name) {
        deleteFile(ObjectNames.check(name));
    }

    private void deleteFile(String name) {
        Path file = root.resolve(name);
        if (!file.normalize().startsWith(root) || name.contains("..")) {
            throw new IllegalArgumentException("object name '" + name + "' leaves the store");
        }
        try {
            Files.deleteIfExists(file);
            // remove directories left empty, up to the store's root
            for (Path dir = file.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
                try (Stream<Path> rest = Files.list(dir)) {
                    if (rest.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw failure("cannot delete", file, e);
        }
    }

    @Override
    public BackupStore within(String prefix) {
        return new LocalStore(path(prefix));
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static final class LocalOutput extends StoreOutputStream {
        private final FileChannel channel;
        private final OutputStream out;
        private final Path temp;
        private final Path target;
        private boolean done;

        LocalOutput(FileChannel channel, Path temp, Path target) {
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.temp = temp;
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.force(true);
                channel.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                } catch (IOException e) {
                    // some file systems cannot sync a directory; the rename is still atomic
                }
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // best effort: a leftover temporary file is never listed as an object
            }
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
