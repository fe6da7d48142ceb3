package io.arborist.cli;

import io.arborist.core.ArboristException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * Reads the documents users hand the CLI (plans, snapshots) with bounded memory, and writes the ones that hold learner
 * data owner-only. Every failure is one line naming the file.
 */
final class InputFiles {
    /** Largest plan or snapshot read: Arborist core reads no larger JSON document. */
    static final int MAX_BYTES = 64 << 20;

    private InputFiles() {
    }

    /**
     * @param file the file
     * @param what what it should be, e.g. {@code plan file}
     * @param missing what to do when it does not exist, e.g. how to write one
     * @param parse turns the text into a document; its one-line {@link ArboristException}s get the file's name
     * @return the document
     */
    static <T> T read(Path file, String what, String missing, Function<String, T> parse) {
        String name = what + " " + Printable.line(file.toString());
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(name + " is a directory, not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + " does not exist" + (missing.isEmpty() ? "" : " (" + missing + ")"));
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(name + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(name + " is larger than " + (MAX_BYTES >> 20) + " MiB, which no Arborist "
                    + what.replace(" file", "") + " is: check that it is the right file");
        }
        if (!isUtf8(bytes)) {
            throw new IllegalArgumentException(name + " is not UTF-8 text: check that it is the right file");
        }
        try {
            return parse.apply(new String(bytes, StandardCharsets.UTF_8));
        } catch (ArboristException e) {
            String message = String.valueOf(e.getMessage());
            String lead = what.split(" ")[0] + ": ";
            throw new ArboristException(e.kind(), name + ": " + (message.startsWith(lead) ? message.substring(lead.length()) : message), e);
        }
    }

    /** Checks the encoding through a small buffer, so the text is decoded only once, by {@link String}. */
    private static boolean isUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer scratch = CharBuffer.allocate(8192);
        for (CoderResult r = decoder.decode(in, scratch, true); ; r = decoder.decode(in, scratch, true)) {
            if (r.isError()) {
                return false;
            }
            scratch.clear();
            if (r.isUnderflow()) {
                return !decoder.flush(scratch).isError();
            }
        }
    }

    /**
     * Writes a file readable by its owner only (0600), whole or not at all: through a temporary file beside it,
     * created owner-only, then moved over the target.
     *
     * @param file where to write; replaced if it exists
     * @param text the content
     */
    static void writeOwnerOnly(Path file, String text) {
        Path absolute = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot write " + Printable.line(file.toString()) + ": its directory does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + Printable.line(file.toString()) + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // Only a leftover temporary file, owner-only; the error that matters is already thrown.
                }
            }
        }
    }
}
