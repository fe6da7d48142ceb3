package io.arborist.core.backup.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on its own thread, a few chunks ahead of the reader: the work behind the source (archive reads and
 * zstd decompression) runs beside the work of the reader (an upload to the database), as {@code zstd -dc | curl} or
 * {@code zstd -dc | mariadb} run in two processes. Both adapters' restores use it. Holds at most {@value #AHEAD} chunks of {@value #CHUNK} bytes. The source is closed by the reading thread
 * when it ends, fails, or this stream is closed; a failure of the source is thrown to the reader.
 */
public final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int AHEAD = 4;
    private static final Chunk END = new Chunk(new byte[0]);

    /** A buffer and how much of it holds data; buffers go round between the two queues, so nothing is allocated per chunk. */
    private static final class Chunk {
        final byte[] data;
        int length;

        Chunk(byte[] data) {
            this.data = data;
        }
    }

    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(AHEAD + 1);
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(AHEAD + 1);
    private final Thread thread;
    private volatile IOException failure;
    private Chunk current;
    private int pos;
    private boolean ended;

    /**
     * @param source the stream to read ahead (owned by this stream from now on)
     * @param name the reading thread's name
     */
    public ReadAhead(InputStream source, String name) {
        for (int i = 0; i < AHEAD; i++) {
            free.add(new Chunk(new byte[CHUNK]));
        }
        current = END;
        thread = new Thread(() -> fill(source), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void fill(InputStream source) {
        try (source) {
            while (true) {
                Chunk c = free.take();
                c.length = source.readNBytes(c.data, 0, CHUNK);
                if (c.length == 0) {
                    break;
                }
                filled.put(c);
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            return;
        }
        try {
            filled.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        if (current != END) {
            free.add(current);
        }
        try {
            current = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        pos = 0;
        if (current == END) {
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos == current.length && !next()) {
            return -1;
        }
        return current.data[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == current.length && !next()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current = END;
        pos = 0;
        ended = true;
        filled.clear();
        free.clear();
    }
}
