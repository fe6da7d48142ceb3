package io.arborist.mysql.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A data file as a restore loads it, hashed on the way, so that a file in a store is downloaded once: after the load
 * (or its failure), {@link #intact()} reads whatever the load left unread and says whether the whole file has the
 * SHA-256 the manifest records. Closing it does nothing (the decompressor above it closes it early when it fails, and
 * the rest is still to be hashed); {@link #release()} closes the source.
 */
final class DigestedFile extends FilterInputStream {
    private final MessageDigest digest = ManifestIo.digest();
    private final byte[] expected;

    /**
     * @param source the data file's bytes as stored in the archive (decrypted)
     * @param sha256 its SHA-256 from the manifest, as hex
     */
    DigestedFile(InputStream source, String sha256) {
        super(source);
        this.expected = HexFormat.of().parseHex(sha256.toLowerCase(Locale.ROOT));
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the source stays open for intact(); release() closes it
    }

    /**
     * Reads the file to its end and compares its digest (call once, after the reader above it has stopped).
     *
     * @return whether the file's SHA-256 is the manifest's
     * @throws IOException when the rest of the file cannot be read
     */
    boolean intact() throws IOException {
        in.transferTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
            }
        });
        return MessageDigest.isEqual(digest.digest(), expected);
    }

    /** Closes the source. */
    void release() throws IOException {
        in.close();
    }
}
