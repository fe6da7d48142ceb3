package io.arborist.tutor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a process's standard output on its own thread and copies the bytes, undecoded, to a caller's stream through
 * one fixed buffer. If the caller's stream fails, the failure is kept, a callback stops the process, and the rest is
 * drained to nowhere so the process never blocks on a full pipe.
 */
public final class BytePump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BytePump.class);
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final OutputStream sink;
    private final Runnable onSinkFailure;
    private final Object lock = new Object();
    private boolean detached;
    private volatile IOException sinkFailure;
    private volatile long bytes;

    /**
     * @param in the process's standard output
     * @param sink where the bytes go
     * @param onSinkFailure run once, on this pump's thread, when writing to the sink fails
     */
    public BytePump(InputStream in, OutputStream sink, Runnable onSinkFailure) {
        this.in = in;
        this.sink = sink;
        this.onSinkFailure = onSinkFailure;
    }

    /**
     * Starts draining on a new daemon thread.
     *
     * @param name the thread name
     * @return the thread
     */
    public Thread start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops writing to the sink; when this returns no write is under way and none follows. Draining goes on. */
    public void detach() {
        synchronized (lock) {
            detached = true;
        }
    }

    /** @return the failure of the sink, if writing to it failed */
    public IOException sinkFailure() {
        return sinkFailure;
    }

    /** @return how many bytes were read from the process so far */
    public long bytes() {
        return bytes;
    }

    @Override
    public void run() {
        byte[] buf = new byte[BUFFER];
        try (InputStream stream = in) {
            for (int n = stream.read(buf); n >= 0; n = stream.read(buf)) {
                bytes += n;
                if (n > 0 && write(buf, n)) {
                    onSinkFailure.run();
                }
            }
        } catch (IOException e) {
            LOG.debug("stopped reading standard output: {}", e.toString());
        }
    }

    /** @return whether this write is the one that failed */
    private boolean write(byte[] buf, int n) {
        synchronized (lock) {
            if (detached || sinkFailure != null) {
                return false;
            }
            try {
                sink.write(buf, 0, n);
                return false;
            } catch (IOException e) {
                sinkFailure = e;
                return true;
            }
        }
    }
}
