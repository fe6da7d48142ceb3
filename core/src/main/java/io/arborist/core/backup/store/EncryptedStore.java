package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * Encrypts every object written and decrypts every object read, with the object's name inside the archive
 * ({@code base + name}) as associated data. Ranged reads decrypt only the segments they need.
 */
final class EncryptedStore extends Forwarding {
    private final EncryptionKey key;
    private final String base;

    EncryptedStore(BackupStore inner, EncryptionKey key, String base) {
        super(inner);
        this.key = key;
        this.base = base;
    }

    @Override
    public StoreOutputStream create(String name) {
        StoreOutputStream out = inner.create(name);
        OutputStream encrypting;
        try {
            encrypting = key.encrypting(new NoClose(out), base + name);
        } catch (IOException e) {
            out.abort();
            throw new ArboristException(ErrorKind.BACKUP, "cannot encrypt " + ObjectNames.where(inner, name) + ": " + e.getMessage(), e);
        }
        return new StoreOutputStream() {
            private boolean done;

            @Override
            public void write(int b) throws IOException {
                encrypting.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                encrypting.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (done) {
                    return;
                }
                done = true;
                try {
                    encrypting.close();
                } catch (IOException | RuntimeException e) {
                    out.abort();
                    throw e;
                }
                out.close();
            }

            @Override
            public void abort() {
                done = true;
                out.abort();
            }
        };
    }

    @Override
    public InputStream open(String name) {
        InputStream in = inner.open(name);
        try {
            return key.decrypting(in, base + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String name, long offset, long length) {
        long size = inner.stat(name).orElseThrow(() -> new ArboristException(ErrorKind.VERIFICATION,
                ObjectNames.where(inner, name) + " is missing")).size();
        try {
            SeekableByteChannel plain = key.decrypting(new Ranged(inner, name, size), base + name);
            long end = Math.min(plain.size(), offset + length);
            plain.position(Math.min(offset, end));
            return new LocalStore.Bounded(Channels.newInputStream(plain), end - Math.min(offset, end));
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, ObjectNames.where(inner, name)
                    + " failed decryption: it was changed or damaged, or encrypted with another key", e);
        }
    }

    @Override
    public BackupStore within(String prefix) {
        return new EncryptedStore(inner.within(prefix), key, base + ObjectNames.check(prefix) + "/");
    }

    /** Lets the encrypting stream finish without committing the object: the wrapper commits once it has. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** A read-only channel over ranged reads: a jump opens one ranged read from there to the end. */
    private static final class Ranged implements SeekableByteChannel {
        private final BackupStore store;
        private final String name;
        private final long size;
        private long position;
        private long streamAt = -1;
        private InputStream stream;
        private boolean open = true;

        Ranged(BackupStore store, String name, long size) {
            this.store = store;
            this.name = name;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= size) {
                return -1;
            }
            if (stream == null || streamAt != position) {
                if (stream != null) {
                    stream.close();
                }
                stream = store.open(name, position, size - position);
                streamAt = position;
            }
            byte[] b = new byte[Math.min(dst.remaining(), 64 * 1024)];
            int n = stream.read(b);
            if (n < 0) {
                throw new IOException(name + " ended early at byte " + position + " of " + size);
            }
            dst.put(b, 0, n);
            position += n;
            streamAt = position;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            if (stream != null) {
                stream.close();
            }
        }
    }
}
