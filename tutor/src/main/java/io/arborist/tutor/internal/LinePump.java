package io.arborist.tutor.internal;

import io.arborist.core.spi.OutputListener.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one process stream on its own thread, decoding UTF-8 and splitting lines. Lines longer than the limit are
 * cut (after redaction, so a cut never exposes part of a secret) and memory stays bounded by the limit.
 */
public final class LinePump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LinePump.class);

    /** Receives redacted lines. */
    public interface Sink {
        /**
         * @param source which stream
         * @param line the redacted line, at most the limit plus a marker
         * @param cutChars characters cut from the end of the line
         */
        void line(Source source, String line, long cutChars);
    }

    private final InputStream in;
    private final Source source;
    private final int maxLine;
    private final Redactor redactor;
    private final Sink sink;
    private volatile boolean detached;

    /**
     * @param in the stream to drain
     * @param source what it is
     * @param maxLine the longest line passed on
     * @param redactor what hides secrets in each line
     * @param sink where lines go
     */
    public LinePump(InputStream in, Source source, int maxLine, Redactor redactor, Sink sink) {
        this.in = in;
        this.source = source;
        this.maxLine = maxLine;
        this.redactor = redactor;
        this.sink = sink;
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

    /** Stops passing lines on; the stream is still drained so the process never blocks on a full pipe. */
    public void detach() {
        detached = true;
    }

    @Override
    public void run() {
        int keep = maxLine + redactor.longestLength();
        StringBuilder line = new StringBuilder();
        long cut = 0;
        char[] buf = new char[8192];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        emit(line, cut);
                        line.setLength(0);
                        cut = 0;
                    } else if (line.length() < keep) {
                        line.append(c);
                    } else {
                        cut++;
                    }
                }
            }
            if (line.length() > 0 || cut > 0) {
                emit(line, cut);
            }
        } catch (IOException e) {
            LOG.debug("stopped reading {}: {}", source, e.toString());
        }
    }

    private void emit(StringBuilder raw, long cut) {
        int length = raw.length();
        if (length > 0 && raw.charAt(length - 1) == '\r') {
            length--;
        }
        String text = raw.substring(0, length);
        long cutChars = cut;
        if (text.length() > maxLine || cut > 0) {
            cutChars += Math.max(0, text.length() - maxLine);
            text = redactor.redactHead(text, maxLine) + " [... " + cutChars + " characters cut]";
        } else {
            text = redactor.redact(text);
        }
        if (!detached) {
            sink.line(source, text, cutChars);
        }
    }
}
