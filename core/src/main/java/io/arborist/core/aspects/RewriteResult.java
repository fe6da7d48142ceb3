package io.arborist.core.aspects;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SqlReferenceRewriter#rewrite(String)} did to one text.
 *
 * @param sql the rewritten text (equal to the input when nothing changed)
 * @param replacements the references changed, in text order
 * @param deprecated the references to deprecated models, left unchanged, in text order
 * @since 0.1
 */
public record RewriteResult(String sql, List<Replacement> replacements, List<DeprecatedReference> deprecated) {
    /**
     * Validates and copies.
     *
     * @param sql the rewritten text (equal to the input when nothing changed)
     * @param replacements the references changed, in text order
     * @param deprecated the references to deprecated models, left unchanged, in text order
     */
    public RewriteResult {
        Objects.requireNonNull(sql, "sql");
        replacements = List.copyOf(replacements);
        deprecated = List.copyOf(deprecated);
    }

    /** @return whether any reference was rewritten */
    public boolean changed() {
        return !replacements.isEmpty();
    }

    /** @return a line per replacement and per deprecated reference, for a report */
    public String report() {
        StringBuilder sb = new StringBuilder();
        replacements.forEach(r -> sb.append("rewrote ").append(r).append('\n'));
        deprecated.forEach(d -> sb.append("DEPRECATED ").append(d).append('\n'));
        return sb.toString();
    }
}
