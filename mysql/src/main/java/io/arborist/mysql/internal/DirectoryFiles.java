package io.arborist.mysql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** An archive laid out as a directory: each name is a path relative to it. Thread-safe. */
final class DirectoryFiles implements ArchiveFiles {
    private final Path dir;

    DirectoryFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path location() {
        return dir;
    }

    @Override
    public OptionalLong size(String name) {
        Path f = dir.resolve(name);
        try {
            return Files.isRegularFile(f) ? OptionalLong.of(Files.size(f)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(dir.resolve(name));
    }

    @Override
    public String describe(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public Path journal() {
        return dir.resolve(Journal.FILE);
    }

    @Override
    public void close() {
        // nothing held open
    }
}
