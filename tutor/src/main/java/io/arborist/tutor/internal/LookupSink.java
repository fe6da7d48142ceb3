package io.arborist.tutor.internal;

import io.arborist.core.spi.OutputListener.Source;

/**
 * Collects the standard output of a configuration lookup ({@code tutor config printroot|printvalue}) privately:
 * nothing is logged or passed to listeners. Standard error goes to a capture for error messages.
 */
public final class LookupSink implements LinePump.Sink {
    private final StringBuilder stdout = new StringBuilder();
    private final OutputCapture stderr;
    private boolean cut;

    /**
     * @param stderr where standard error is kept
     */
    public LookupSink(OutputCapture stderr) {
        this.stderr = stderr;
    }

    @Override
    public synchronized void line(Source source, String line, long cutChars) {
        if (source == Source.STDERR) {
            stderr.appendLine(line, cutChars);
            return;
        }
        cut |= cutChars > 0;
        if (!stdout.isEmpty()) {
            stdout.append('\n');
        }
        stdout.append(line);
    }

    /** @return standard output without its final line break */
    public synchronized String value() {
        return stdout.toString();
    }

    /** @return whether a line was too long to keep whole */
    public synchronized boolean wasCut() {
        return cut;
    }
}
