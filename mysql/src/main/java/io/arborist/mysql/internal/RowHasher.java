package io.arborist.mysql.internal;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The client-side row hash of {@link Sql#HASH_CLIENT}, computed in the JVM over the values of one result row exactly as
 * the server sent them (the bytes on the wire, in the session's character set {@code utf8mb4} for text, raw bytes for
 * binary columns, the server's text for numbers, temporal values and BIT as a number), never over the archive's file
 * encoding.
 *
 * <p>A row is serialized as, per column in order, {@code 0x00} for NULL or {@code 0x01}, the value's length as 4 bytes
 * big-endian and the value's bytes: a prefix-free encoding, so NULL, {@code 'NULL'}, {@code '\N'} and the empty string
 * all differ and no value can leak across a column boundary. The row hash is {@code CRC32C << 32 | CRC32} of that
 * serialization (two different polynomials, both hardware-accelerated intrinsics). Chunk and table checksums are the
 * sum of the row hashes modulo 2^64: independent of row order, and counting duplicate rows. Not thread-safe.
 */
final class RowHasher {
    private final CRC32C hi = new CRC32C();
    private final CRC32 lo = new CRC32();
    private final byte[] buf = new byte[1 << 13];
    private int pos;

    /** Adds a NULL column. */
    void addNull() {
        if (pos == buf.length) {
            drain();
        }
        buf[pos++] = 0;
    }

    /** Adds a column value: {@code len} bytes of {@code v} from {@code off}. */
    void add(byte[] v, int off, int len) {
        if (pos + 5 > buf.length) {
            drain();
        }
        byte[] b = buf;
        int p = pos;
        b[p] = 1;
        b[p + 1] = (byte) (len >>> 24);
        b[p + 2] = (byte) (len >>> 16);
        b[p + 3] = (byte) (len >>> 8);
        b[p + 4] = (byte) len;
        p += 5;
        if (len <= b.length - p) {
            System.arraycopy(v, off, b, p, len);
            pos = p + len;
        } else {
            pos = p;
            drain();
            hi.update(v, off, len);
            lo.update(v, off, len);
        }
    }

    private void drain() {
        hi.update(buf, 0, pos);
        lo.update(buf, 0, pos);
        pos = 0;
    }

    /** @return the hash of the row added since the last call, and starts the next row */
    long rowEnd() {
        drain();
        long h = hi.getValue() << 32 | lo.getValue();
        hi.reset();
        lo.reset();
        return h;
    }
}
