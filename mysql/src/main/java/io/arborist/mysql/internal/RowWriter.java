package io.arborist.mysql.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes rows in the format {@code LOAD DATA ... FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'}
 * reads back exactly: {@code \N} for NULL; backslash, tab, newline, carriage return and NUL escaped; binary columns as
 * hexadecimal. Buffers internally; not thread-safe.
 */
public final class RowWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The escape letter of each byte value, 0 for bytes written as they are. */
    private static final byte[] ESCAPE = new byte[256];
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    static {
        ESCAPE['\\'] = '\\';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE[0] = '0';
    }

    private final OutputStream out;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private long written;

    /** @param out where the rows go (not closed here) */
    public RowWriter(OutputStream out) {
        this.out = out;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            flushBuffer();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
        if (buf.length > (1 << 20)) {
            buf = new byte[1 << 16];
        }
    }

    /** Writes the NULL marker. */
    public void writeNull() throws IOException {
        ensure(2);
        buf[pos++] = '\\';
        buf[pos++] = 'N';
    }

    /** Writes text bytes, escaped. */
    public void writeText(byte[] v) throws IOException {
        writeText(v, 0, v.length);
    }

    /** Writes {@code len} text bytes of {@code v} from {@code off}, escaped. */
    public void writeText(byte[] v, int off, int len) throws IOException {
        int i = off;
        int n = off + len;
        while (i < n) {
            // copy the run of bytes that need no escape in one go (found 8 bytes at a time), then escape one byte
            int clean = cleanRun(v, i, n);
            if (clean > i) {
                int run = clean - i;
                ensure(Math.min(run, 1 << 15));
                if (run > buf.length - pos) {
                    flushBuffer();
                    out.write(v, i, run);
                    written += run;
                } else {
                    System.arraycopy(v, i, buf, pos, run);
                    pos += run;
                }
                i = clean;
            }
            if (i < n) {
                ensure(2);
                buf[pos++] = '\\';
                buf[pos++] = ESCAPE[v[i] & 0xff];
                i++;
            }
        }
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long BELOW_0E = 0x0E0E0E0E0E0E0E0EL;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    /** @return whether any byte of {@code w} is zero */
    private static long zeroByte(long w) {
        return (w - ONES) & ~w & HIGHS;
    }

    /**
     * @return the index of the first byte from {@code i} (before {@code n}) that needs an escape, or {@code n}. Eight
     *     bytes at a time: a word is clean unless it holds a byte below 0x0E (NUL, tab, newline and carriage return,
     *     plus a few harmless control bytes, checked one by one) or a backslash; the lowest flagged byte is exact.
     */
    private static int cleanRun(byte[] v, int i, int n) {
        while (i + 8 <= n) {
            long w = (long) LONGS.get(v, i);
            long hit = ((w - BELOW_0E) & ~w & HIGHS) | zeroByte(w ^ BACKSLASHES);
            if (hit == 0) {
                i += 8;
                continue;
            }
            int at = i + (Long.numberOfTrailingZeros(hit) >>> 3);
            if (ESCAPE[v[at] & 0xff] != 0) {
                return at;
            }
            i = at + 1;
        }
        while (i < n && ESCAPE[v[i] & 0xff] == 0) {
            i++;
        }
        return i;
    }

    /** Writes bytes as uppercase hexadecimal. */
    public void writeHex(byte[] v) throws IOException {
        writeHex(v, 0, v.length);
    }

    /** Writes {@code len} bytes of {@code v} from {@code off} as uppercase hexadecimal. */
    public void writeHex(byte[] v, int off, int len) throws IOException {
        int i = off;
        int n = off + len;
        while (i < n) {
            int step = Math.min(n - i, 1 << 15);
            ensure(step * 2);
            byte[] b = buf;
            int p = pos;
            for (int end = i + step; i < end; i++) {
                int x = v[i] & 0xff;
                b[p++] = HEX[x >>> 4];
                b[p++] = HEX[x & 0xf];
            }
            pos = p;
        }
    }

    /** Ends a field. */
    public void fieldEnd() throws IOException {
        ensure(1);
        buf[pos++] = '\t';
    }

    /** Ends a row (replacing nothing: call instead of the last {@link #fieldEnd()}). */
    public void rowEnd() throws IOException {
        ensure(1);
        buf[pos++] = '\n';
    }

    /** Flushes buffered bytes to the stream. */
    public void flush() throws IOException {
        flushBuffer();
    }

    /** @return uncompressed bytes written so far, including the buffer */
    public long bytes() {
        return written + pos;
    }
}
