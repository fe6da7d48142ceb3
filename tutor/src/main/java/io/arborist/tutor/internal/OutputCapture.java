package io.arborist.tutor.internal;

/**
 * Keeps a bounded head and tail of a command's output, however much it prints. Thread-safe.
 */
public final class OutputCapture {
    private final int headLimit;
    private final StringBuilder head = new StringBuilder();
    private final char[] tail;
    private int tailEnd;
    private int tailLength;
    private long total;
    private long cut;

    /**
     * @param limit how many characters to keep at the beginning and, separately, at the end
     */
    public OutputCapture(int limit) {
        this.headLimit = limit;
        this.tail = new char[limit];
    }

    /**
     * @param line a line without terminator; a newline is appended
     * @param cutChars characters already cut from the line before it got here
     */
    public synchronized void appendLine(String line, long cutChars) {
        append(line);
        append("\n");
        cut += cutChars;
    }

    private void append(String text) {
        total += text.length();
        int intoHead = Math.min(text.length(), headLimit - head.length());
        if (intoHead > 0) {
            head.append(text, 0, intoHead);
        }
        for (int i = intoHead; i < text.length(); i++) {
            if (tail.length == 0) {
                return;
            }
            tail[tailEnd] = text.charAt(i);
            tailEnd = (tailEnd + 1) % tail.length;
            tailLength = Math.min(tailLength + 1, tail.length);
        }
    }

    /** @return the beginning of the output */
    public synchronized String head() {
        return head.toString();
    }

    /** @return the end of the output that did not fit in the head */
    public synchronized String tail() {
        StringBuilder b = new StringBuilder(tailLength);
        int start = (tailEnd - tailLength + tail.length) % Math.max(1, tail.length);
        for (int i = 0; i < tailLength; i++) {
            b.append(tail[(start + i) % tail.length]);
        }
        return b.toString();
    }

    /** @return characters in neither head nor tail, including those cut from long lines */
    public synchronized long omitted() {
        return total - head.length() - tailLength + cut;
    }
}
