package io.arborist.mysql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * An archive laid out as a directory: each name is a path relative to it. Only the archive's own names are read
 * (the manifest, its seal and {@code data/tNNNNN.cNNNNN.tsv.zst}), never through a symbolic link: an archive cannot
 * make a restore read another file of this machine. Thread-safe.
 */
final class DirectoryFiles implements ArchiveFiles {
    private final Path dir;

    DirectoryFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    /** @return the file, when the name is one an archive holds and no part of it below the archive is a link */
    private Path file(String name) {
        boolean own = name.equals(ManifestIo.MANIFEST) || name.equals(ManifestIo.SEAL) || ArchiveCheck.DATA_FILE.matcher(name).matches();
        if (!own) {
            return null;
        }
        Path f = dir.resolve(name);
        for (Path p = f; p != null && !p.equals(dir); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return null;
            }
        }
        return f;
    }

    @Override
    public OptionalLong size(String name) {
        Path f = file(name);
        try {
            return f != null && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) ? OptionalLong.of(Files.size(f)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path f = file(name);
        if (f == null) {
            throw new NoSuchFileException(describe(name), null, "not an archive file, or reached through a link");
        }
        return Files.newInputStream(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String describe(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public Path journal() {
        return dir.resolve(ArchiveFiles.JOURNAL);
    }

    @Override
    public void close() {
        // nothing held open
    }
}
