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
            int step = Math.min(n - i, 1 << 15);
            ensure(step * 2);
            byte[] b = buf;
            int p = pos;
            for (int end = i + step; i < end; i++) {
                byte x = v[i];
                byte e = ESCAPE[x & 0xff];
                if (e == 0) {
                    b[p++] = x;
                } else {
                    b[p++] = '\\';
                    b[p++] = e;
                }
            }
            pos = p;
        }
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
