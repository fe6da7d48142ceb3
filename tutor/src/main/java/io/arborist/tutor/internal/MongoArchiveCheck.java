package io.arborist.tutor.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Checks a {@code mongodump --archive --gzip} file without MongoDB: the raw bytes' SHA-256, every gzip member whole
 * (its CRC-32 and length match, nothing follows the last one), and the archive's prelude (mongo-tools
 * {@code archive/prelude.go}: the magic number {@code 0x8199e26d} little-endian, a BSON header, one BSON document per
 * collection with {@code db} and {@code collection}, then a terminator {@code 0xffffffff}), whose namespaces it lists.
 * Memory stays bounded: one buffer, and BSON documents of at most 16 MiB (MongoDB's own limit).
 */
public final class MongoArchiveCheck {
    /** The archive's magic number. */
    public static final int MAGIC = 0x8199e26d;

    private static final int TERMINATOR = 0xffffffff;
    private static final int MAX_DOCUMENT = 16 * 1024 * 1024;
    private static final int BUFFER = 64 * 1024;

    /**
     * What a check found.
     *
     * @param sha256 the SHA-256 of the file as stored
     * @param bytes the file's size
     * @param uncompressedBytes the archive's size once decompressed
     * @param namespaces {@code db.collection} of every collection in the prelude, in order
     * @param problem what is wrong with the gzip data or the prelude, if anything (then the counts and namespaces are
     *                incomplete; the SHA-256 and size are still those of the whole file)
     */
    public record Result(String sha256, long bytes, long uncompressedBytes, List<String> namespaces, Optional<String> problem) {
    }

    /** The data is not what it should be (as opposed to a read failure). */
    private static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }

        Damaged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MongoArchiveCheck() {
    }

    /**
     * @param file opens the archive file, twice (once whole, once for the prelude)
     * @return what it holds
     * @throws IOException when it cannot be read, or with a message saying what is wrong when it is damaged
     */
    public static Result check(IoSupplier file) throws IOException {
        MessageDigest digest = BackupFiles.sha256();
        long[] counts = new long[2];
        long size;
        Optional<String> problem = Optional.empty();
        try (CountingDigest raw = new CountingDigest(file.open(), digest)) {
            try {
                gzipMembers(raw, counts);
            } catch (Damaged e) {
                problem = Optional.of(e.getMessage());
                raw.transferTo(OutputStream.nullOutputStream());
            }
            size = raw.count;
        }
        List<String> namespaces = List.of();
        if (problem.isEmpty()) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(file.open(), BUFFER), BUFFER))) {
                namespaces = prelude(in);
            } catch (EOFException e) {
                problem = Optional.of("the archive ends inside its prelude");
            } catch (Damaged e) {
                problem = Optional.of(e.getMessage());
            }
        }
        return new Result(BackupFiles.hex(digest), size, counts[1], namespaces, problem);
    }

    /** Hashes and counts every byte read. */
    private static final class CountingDigest extends DigestInputStream {
        long count;

        CountingDigest(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    /** Opens a stream. */
    @FunctionalInterface
    public interface IoSupplier {
        /**
         * @return a new stream from the start
         * @throws IOException if it cannot be opened
         */
        InputStream open() throws IOException;
    }

    /** Fills compressed and uncompressed byte counts. */
    private static void gzipMembers(InputStream raw, long[] counts) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, BUFFER);
        long compressed = 0;
        long uncompressed = 0;
        byte[] input = new byte[BUFFER];
        byte[] output = new byte[BUFFER];
        int members = 0;
        while (true) {
            int id1 = in.read();
            if (id1 < 0) {
                if (members == 0) {
                    throw new Damaged("the archive is empty");
                }
                counts[0] = compressed;
                counts[1] = uncompressed;
                return;
            }
            int id2 = in.read();
            if (id1 != 0x1f || id2 != 0x8b) {
                throw new Damaged(members == 0 ? "the archive is not gzip data"
                        : "bytes follow the end of the gzip data at byte " + compressed + ": the archive was damaged or appended to");
            }
            int[] header = new int[1];
            readHeader(in, header);
            compressed += 2 + header[0];
            Inflater inflater = new Inflater(true);
            CRC32 crc = new CRC32();
            long size = 0;
            int lastRead = 0;
            try {
                while (!inflater.finished()) {
                    if (inflater.needsInput()) {
                        int n = in.read(input);
                        if (n < 0) {
                            throw new Damaged("the gzip data is cut short after " + (compressed + inflater.getBytesRead())
                                    + " bytes: the dump was interrupted or the file truncated");
                        }
                        inflater.setInput(input, 0, n);
                        lastRead = n;
                    }
                    int n = inflater.inflate(output);
                    crc.update(output, 0, n);
                    size += n;
                    if (n == 0 && inflater.needsDictionary()) {
                        throw new Damaged("the gzip data needs a preset dictionary: it is not a mongodump archive");
                    }
                }
                int remaining = inflater.getRemaining();
                if (remaining > 0) {
                    in.unread(input, lastRead - remaining, remaining);
                }
                compressed += inflater.getBytesRead();
            } catch (DataFormatException e) {
                throw new Damaged("the gzip data is damaged: " + e.getMessage(), e);
            } finally {
                inflater.end();
            }
            byte[] trailer = in.readNBytes(8);
            if (trailer.length < 8) {
                throw new Damaged("the gzip data is cut short in its trailer: the dump was interrupted or the file truncated");
            }
            compressed += 8;
            if (le32(trailer, 0) != (int) crc.getValue() || le32(trailer, 4) != (int) size) {
                throw new Damaged("the gzip data fails its CRC-32 or length check: the archive is damaged");
            }
            uncompressed += size;
            members++;
        }
    }

    private static void readHeader(PushbackInputStream in, int[] length) throws IOException {
        byte[] fixed = in.readNBytes(8);
        if (fixed.length < 8 || (fixed[0] & 0xff) != 8) {
            throw new Damaged("the gzip header is damaged or cut short");
        }
        int flags = fixed[1] & 0xff;
        int n = 8;
        if ((flags & 4) != 0) {
            byte[] xlen = in.readNBytes(2);
            if (xlen.length < 2) {
                throw new Damaged("the gzip header is cut short");
            }
            int len = (xlen[0] & 0xff) | (xlen[1] & 0xff) << 8;
            if (in.readNBytes(len).length < len) {
                throw new Damaged("the gzip header is cut short");
            }
            n += 2 + len;
        }
        for (int flag : new int[] {8, 16}) {
            if ((flags & flag) != 0) {
                int c;
                do {
                    c = in.read();
                    n++;
                } while (c > 0);
                if (c < 0) {
                    throw new Damaged("the gzip header is cut short");
                }
            }
        }
        if ((flags & 2) != 0) {
            if (in.readNBytes(2).length < 2) {
                throw new Damaged("the gzip header is cut short");
            }
            n += 2;
        }
        length[0] = n;
    }

    private static List<String> prelude(DataInputStream in) throws IOException {
        if (Integer.reverseBytes(in.readInt()) != MAGIC) {
            throw new Damaged("the decompressed data does not start with the mongodump archive magic number: it is not"
                    + " a mongodump --archive");
        }
        document(in);
        List<String> namespaces = new ArrayList<>();
        while (true) {
            int length = Integer.reverseBytes(in.readInt());
            if (length == TERMINATOR) {
                return namespaces;
            }
            byte[] doc = body(in, length);
            String db = stringField(doc, "db");
            String collection = stringField(doc, "collection");
            if (db == null || collection == null) {
                throw new Damaged("a collection entry of the prelude has no db or collection name");
            }
            namespaces.add(db + "." + collection);
        }
    }

    private static byte[] document(DataInputStream in) throws IOException {
        return body(in, Integer.reverseBytes(in.readInt()));
    }

    private static byte[] body(DataInputStream in, int length) throws IOException {
        if (length < 5 || length > MAX_DOCUMENT) {
            throw new Damaged("the prelude holds a BSON document of " + Integer.toUnsignedString(length)
                    + " bytes: it is not a mongodump archive");
        }
        byte[] doc = new byte[length - 4];
        in.readFully(doc);
        if (doc[doc.length - 1] != 0) {
            throw new Damaged("a BSON document of the prelude is not terminated: the archive is damaged");
        }
        return doc;
    }

    /** Finds a top-level string field of a BSON document body (after its length); stops at a type it cannot skip. */
    private static String stringField(byte[] doc, String name) {
        int i = 0;
        while (i < doc.length - 1) {
            int type = doc[i++] & 0xff;
            int nameStart = i;
            while (i < doc.length && doc[i] != 0) {
                i++;
            }
            String field = new String(doc, nameStart, i - nameStart, StandardCharsets.UTF_8);
            i++;
            if (i > doc.length - 1) {
                return null;
            }
            int size;
            switch (type) {
                case 0x02, 0x0d, 0x0e -> {
                    int len = lengthAt(doc, i);
                    if (len < 1 || i + 4 + len > doc.length) {
                        return null;
                    }
                    if (type == 0x02 && field.equals(name)) {
                        return new String(doc, i + 4, len - 1, StandardCharsets.UTF_8);
                    }
                    size = 4 + len;
                }
                case 0x03, 0x04, 0x0f -> size = lengthAt(doc, i);
                case 0x05 -> size = lengthAt(doc, i) < 0 ? -1 : 5 + lengthAt(doc, i);
                case 0x01, 0x09, 0x11, 0x12 -> size = 8;
                case 0x10 -> size = 4;
                case 0x08 -> size = 1;
                case 0x07 -> size = 12;
                case 0x13 -> size = 16;
                case 0x06, 0x0a, 0x7f, 0xff -> size = 0;
                default -> {
                    return null;
                }
            }
            if (size < 0 || i + size > doc.length) {
                return null;
            }
            i += size;
        }
        return null;
    }

    private static int lengthAt(byte[] doc, int at) {
        return at + 4 > doc.length ? -1 : le32(doc, at);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
