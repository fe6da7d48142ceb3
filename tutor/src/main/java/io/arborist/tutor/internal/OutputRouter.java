package io.arborist.tutor.internal;

import io.arborist.core.spi.OutputListener;
import io.arborist.core.spi.OutputListener.Source;
import io.arborist.core.spi.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each redacted line of one command to the bounded capture, the {@code io.arborist.tutor.output} logger (DEBUG)
 * and the caller's listener, one line at a time.
 */
public final class OutputRouter implements LinePump.Sink {
    /** The logger subprocess output goes to. */
    public static final String OUTPUT_LOGGER = "io.arborist.tutor.output";

    private static final Logger OUTPUT = LoggerFactory.getLogger(OUTPUT_LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(OutputRouter.class);

    private final String program;
    private final OutputListener listener;
    private final boolean hideStdout;
    private final OutputCapture capture;
    private boolean listenerFailed;

    /**
     * @param program the program name, for log lines
     * @param listener the caller's listener
     * @param hideStdout whether standard output is secret and is shown as {@link Secrets#MASK}
     * @param capture where the head and tail are kept
     */
    public OutputRouter(String program, OutputListener listener, boolean hideStdout, OutputCapture capture) {
        this.program = program;
        this.listener = listener;
        this.hideStdout = hideStdout;
        this.capture = capture;
    }

    @Override
    public synchronized void line(Source source, String line, long cutChars) {
        String shown = hideStdout && source == Source.STDOUT ? Secrets.MASK : line;
        long cut = hideStdout && source == Source.STDOUT ? 0 : cutChars;
        capture.appendLine(shown, cut);
        if (OUTPUT.isDebugEnabled()) {
            OUTPUT.debug("[{} {}] {}", program, source == Source.STDOUT ? "out" : "err", shown);
        }
        try {
            listener.line(source, shown);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true;
                LOG.warn("output listener {} failed; its further failures for this command are ignored", listener, e);
            }
        }
    }
}
