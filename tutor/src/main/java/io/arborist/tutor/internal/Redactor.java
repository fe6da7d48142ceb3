package io.arborist.tutor.internal;

import io.arborist.core.spi.Secrets;
import java.util.List;

/**
 * Both nets of redaction for one command: the secret values it knows (caller-marked, found in the arguments, resolved
 * from placeholders, learned from the Tutor configuration) replaced wherever they occur, then {@link SecretShapes} for
 * the values it does not know. Immutable.
 */
public final class Redactor {
    /** Changes nothing: only for lookups whose output is private and never shown. */
    public static final Redactor RAW = new Redactor(Secrets.NONE, false);

    private final Secrets secrets;
    private final boolean shapes;

    private Redactor(Secrets secrets, boolean shapes) {
        this.secrets = secrets;
        this.shapes = shapes;
    }

    /**
     * @param secrets the values to hide
     * @return a redactor hiding them and every secret-shaped setting
     */
    public static Redactor of(Secrets secrets) {
        return new Redactor(secrets, true);
    }

    /**
     * @param more more values to hide
     * @return a redactor hiding these too
     */
    public Redactor plus(Secrets more) {
        return new Redactor(secrets.plus(more), shapes);
    }

    /** @return the values hidden by the first net */
    public Secrets secrets() {
        return secrets;
    }

    /**
     * @param text any text
     * @return it with every known secret and every secret-shaped value replaced by {@link Secrets#MASK}
     */
    public String redact(String text) {
        String out = secrets.redact(text);
        return shapes ? SecretShapes.mask(out) : out;
    }

    /**
     * @param text a text being cut
     * @param length how many characters to keep at least
     * @return its redacted beginning, see {@link Secrets#redactHead(String, int)}
     */
    public String redactHead(String text, int length) {
        String out = secrets.redactHead(text, length);
        return shapes ? SecretShapes.mask(out) : out;
    }

    /**
     * @param argv arguments
     * @return each argument redacted
     */
    public List<String> redact(List<String> argv) {
        return argv.stream().map(this::redact).toList();
    }

    /** @return the length of the longest known secret */
    public int longestLength() {
        return secrets.longestLength();
    }
}
