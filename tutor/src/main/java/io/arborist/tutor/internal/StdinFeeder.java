package io.arborist.tutor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a caller's bytes to a process's standard input on its own thread through one fixed buffer, then closes the
 * process's input. When the process stops reading (it exited or closed its input) the rest is left unread; when
 * reading the caller's stream fails, the failure is kept and a callback stops the process.
 */
public final class StdinFeeder implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StdinFeeder.class);
    private static final int BUFFER = 64 * 1024;

    private final InputStream source;
    private final OutputStream processInput;
    private final Runnable onSourceFailure;
    private volatile boolean stopped;
    private volatile IOException sourceFailure;

    /**
     * @param source the caller's bytes
     * @param processInput the process's standard input; closed at the end
     * @param onSourceFailure run once, on this feeder's thread, when reading the source fails
     */
    public StdinFeeder(InputStream source, OutputStream processInput, Runnable onSourceFailure) {
        this.source = source;
        this.processInput = processInput;
        this.onSourceFailure = onSourceFailure;
    }

    /**
     * Starts feeding on a new daemon thread.
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

    /** Stops feeding: nothing more is read from the source, and a later failure to read it is ignored. */
    public void stop() {
        stopped = true;
    }

    /** @return the failure of the source, if reading it failed */
    public IOException sourceFailure() {
        return sourceFailure;
    }

    @Override
    public void run() {
        byte[] buf = new byte[BUFFER];
        try (OutputStream out = processInput) {
            while (!stopped) {
                int n;
                try {
                    n = source.read(buf);
                } catch (IOException e) {
                    if (!stopped) {
                        sourceFailure = e;
                        onSourceFailure.run();
                    }
                    return;
                }
                if (n < 0) {
                    return;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // The process closed its input or exited: what it did not read stays unread, and its exit says why.
            LOG.debug("standard input closed by the process: {}", e.toString());
        }
    }
}
