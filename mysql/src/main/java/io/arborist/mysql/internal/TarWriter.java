package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a single-file archive {@code NAME.tar}: the backup is dumped into a staging directory next to it
 * ({@code NAME.tar.partial.d}), packed into {@code NAME.tar.partial} (data files first, {@code manifest.json} last),
 * forced to disk and renamed into place; the staging directory is then deleted. A failed backup leaves no
 * {@code NAME.tar}.
 */
public final class TarWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TarWriter.class);

    private TarWriter() {
    }

    /** @return the staging directory of a tar backup */
    static Path staging(Path tar) {
        return tar.resolveSibling(tar.getFileName() + ".partial.d");
    }

    private static Path partial(Path tar) {
        return tar.resolveSibling(tar.getFileName() + ".partial");
    }

    /**
     * Backs up into a new tar file.
     *
     * @param tar the file to create; its directory must exist and be writable
     * @param dump backs up into an empty directory and returns the sealed manifest
     * @return the manifest
     * @throws ArboristException CONFIGURATION when the file exists, its directory is missing or not writable, or an
     *                           unfinished backup left its partial files; the dump's failure otherwise
     */
    public static Manifest write(Path tar, Function<Path, Manifest> dump) {
        Path staging = staging(tar);
        Path partial = partial(tar);
        check(tar, staging, partial);
        boolean written = false;
        try {
            Manifest m = dump.apply(staging);
            pack(staging, m, partial);
            Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
            ManifestIo.fsyncDirectory(tar.toAbsolutePath().getParent());
            written = true;
            return m;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "backup failed; cannot write " + tar + ": " + e.getMessage(),
                    e);
        } catch (ArboristException e) {
            throw new ArboristException(e.kind(), "backup to " + tar + " failed, nothing was kept: " + e.getMessage(),
                    e);
        } finally {
            if (!written) {
                delete(partial);
            }
            delete(staging);
        }
    }

    private static void check(Path tar, Path staging, Path partial) {
        if (Files.exists(tar, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "backup file " + tar
                    + " already exists; choose a new file name, or move the old archive away");
        }
        Path parent = tar.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot write the backup " + tar + ": the directory "
                    + parent + " does not exist; create it first");
        }
        if (!Files.isWritable(parent)) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot write the backup " + tar + ": the directory "
                    + parent + " is not writable; choose another location");
        }
        for (Path left : new Path[] {staging, partial}) {
            if (Files.exists(left, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "cannot write the backup " + tar + ": " + left
                        + " is left from an unfinished backup (or one is running); when none is, delete " + staging
                        + " and " + partial + " and run again");
            }
        }
    }

    /**
     * Packs the data files in manifest order, then the seal when there is one, then the manifest, streaming each; the
     * tar (owner-only) is forced to disk.
     */
    private static void pack(Path staging, Manifest m, Path partial) throws IOException {
        try (FileChannel ch = OwnerOnly.newFile(partial);
             TarArchiveOutputStream out = new TarArchiveOutputStream(
                     new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Manifest.Table t : m.tables()) {
                for (Manifest.Chunk c : t.chunks()) {
                    add(out, staging, c.file());
                }
            }
            if (Files.exists(staging.resolve(ManifestIo.SEAL))) {
                add(out, staging, ManifestIo.SEAL);
            }
            add(out, staging, ManifestIo.MANIFEST);
            out.finish();
            out.flush();
            ch.force(true);
        }
    }

    private static void add(TarArchiveOutputStream out, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(file));
        e.setMode(0100600);
        // whole seconds: a fraction would add a PAX header to every entry
        e.setModTime(Files.getLastModifiedTime(file).toMillis() / 1000 * 1000);
        out.putArchiveEntry(e);
        Files.copy(file, out);
        out.closeArchiveEntry();
    }

    private static void delete(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", path, e.getMessage());
        }
    }
}
