package io.arborist.tutor.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * Receives a dump's standard output: drops the text Tutor prints before the archive (its command line, which may show
 * resolved values; it is never kept or logged), then writes every byte from the gzip header on into a file, hashing
 * and counting as it goes. The archive must start at the beginning of the output or of a line with the gzip magic
 * {@code 1f 8b 08}; when too much comes before it the output is not an archive and writing fails, which stops the dump.
 */
public final class ArchiveSink extends OutputStream {
    private static final byte[] MAGIC = {0x1f, (byte) 0x8b, 0x08};

    private final WritableByteChannel file;
    private final long maxPreamble;
    private final MessageDigest digest = BackupFiles.sha256();
    private boolean inArchive;
    private boolean atLineStart = true;
    private int matched;
    private long preamble;
    private long bytes;

    /**
     * @param file where the archive goes: a file, or a store's stream
     * @param maxPreamble how many bytes of text may come before the archive
     */
    public ArchiveSink(WritableByteChannel file, long maxPreamble) {
        this.file = file;
        this.maxPreamble = maxPreamble;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        if (!inArchive) {
            start = skipPreamble(b, off, end);
            if (!inArchive) {
                return;
            }
        }
        if (start < end) {
            archive(b, start, end - start);
        }
    }

    /** @return where the archive starts in this chunk, having written the magic already, or {@code end} */
    private int skipPreamble(byte[] b, int off, int end) throws IOException {
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (matched > 0 || atLineStart) {
                if (c == MAGIC[matched]) {
                    matched++;
                    if (matched == MAGIC.length) {
                        inArchive = true;
                        archive(MAGIC, 0, MAGIC.length);
                        return i + 1;
                    }
                    continue;
                }
                preamble += matched;
                matched = 0;
            }
            preamble++;
            atLineStart = c == '\n';
            if (preamble > maxPreamble) {
                throw new IOException(preamble + " bytes came before any gzip data: this is not the output of"
                        + " mongodump --archive --gzip");
            }
        }
        return end;
    }

    private void archive(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            file.write(buf);
        }
        bytes += len;
    }

    /** @return whether the archive has started */
    public boolean started() {
        return inArchive;
    }

    /** @return the bytes of text dropped before the archive */
    public long preambleBytes() {
        return preamble + (inArchive ? 0 : matched);
    }

    /** @return the archive's bytes written */
    public long bytes() {
        return bytes;
    }

    /** @return the archive's SHA-256 as hex; call once, at the end */
    public String sha256() {
        return BackupFiles.hex(digest);
    }
}
