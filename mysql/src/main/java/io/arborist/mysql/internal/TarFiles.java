package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An archive in one tar file. Its entries are indexed once (name, data offset, size); each {@link #open(String)} then
 * reads one entry through a channel of its own, so concurrent readers never share a position. Thread-safe.
 */
final class TarFiles implements ArchiveFiles {
    private record Entry(long offset, long size) {
    }

    private final Path tar;
    private final Map<String, Entry> entries;

    private TarFiles(Path tar, Map<String, Entry> entries) {
        this.tar = tar;
        this.entries = entries;
    }

    /** Indexes a tar file's regular entries (a later entry of the same name wins, as when tar extracts). */
    static TarFiles open(Path tar) {
        if (!Files.exists(tar)) {
            Path partial = tar.resolveSibling(tar.getFileName() + ".partial");
            if (Files.exists(partial) || Files.exists(TarWriter.staging(tar))) {
                throw new ArboristException(ErrorKind.VERIFICATION, "incomplete archive: " + tar
                        + " was never completed (the backup did not finish; only its partial files exist);"
                        + " take a new backup");
            }
            throw new ArboristException(ErrorKind.VERIFICATION, "no archive at " + tar
                    + ": no such file; give an archive directory or .tar file");
        }
        Map<String, Entry> entries = new HashMap<>();
        try (TarFile file = new TarFile(tar)) {
            long length = Files.size(tar);
            if (file.getEntries().isEmpty()) {
                throw new IOException("no entries");
            }
            for (TarArchiveEntry e : file.getEntries()) {
                if (!e.isFile() || e.isSparse()) {
                    continue;
                }
                if (e.getDataOffset() < 0 || e.getSize() < 0 || e.getDataOffset() + e.getSize() > length) {
                    throw new IOException("entry " + e.getName() + " ends past the end of the file");
                }
                entries.put(normalize(e.getName()), new Entry(e.getDataOffset(), e.getSize()));
            }
        } catch (IOException | RuntimeException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "damaged archive: " + tar
                    + " is not a readable tar file (" + e.getMessage() + "; truncated, altered or not a tar);"
                    + " check the path, or take a new backup", e);
        }
        return new TarFiles(tar, Map.copyOf(entries));
    }

    private static String normalize(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    @Override
    public String location() {
        return tar.toString();
    }

    @Override
    public OptionalLong size(String name) {
        Entry e = entries.get(name);
        return e == null ? OptionalLong.empty() : OptionalLong.of(e.size());
    }

    @Override
    public InputStream open(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new NoSuchFileException(describe(name));
        }
        return new EntryStream(FileChannel.open(tar, StandardOpenOption.READ), e.offset(), e.size(), describe(name));
    }

    @Override
    public String describe(String name) {
        return name + " in " + tar;
    }

    @Override
    public Path journal() {
        return tar.resolveSibling(tar.getFileName() + "." + ArchiveFiles.JOURNAL);
    }

    @Override
    public void close() {
        // each stream holds its own channel
    }

    /** One entry's bytes: positional reads of its own channel, from the entry's data offset for its size. */
    private static final class EntryStream extends InputStream {
        private final FileChannel channel;
        private final String name;
        private final long end;
        private long position;

        EntryStream(FileChannel channel, long offset, long size, String name) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + size;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new EOFException(name + " ends early: the tar file was truncated");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
