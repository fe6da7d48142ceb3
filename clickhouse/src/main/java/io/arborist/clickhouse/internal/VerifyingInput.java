package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ManifestChunk;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;

/** A data file's bytes, with their count and SHA-256 as they pass; thread-confined (the read-ahead thread, then this one). */
final class VerifyingInput extends FilterInputStream {
    private final MessageDigest sha = Dumper.sha256();
    private long count;

    VerifyingInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    /** Left open by the read-ahead thread that closes its chain: the rest is still drained and checked here. */
    @Override
    public void close() {
    }

    void release() throws IOException {
        in.close();
    }

    /** Reads what the decompressor left (trailing bytes count too). */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // counted and hashed by read
        }
    }

    Optional<String> problem(ManifestChunk c) {
        return ArchiveVerifier.compare(c.file(), count, sha.digest(), c.bytes(), c.sha256());
    }
}
