package io.arborist.core.aspects;

import java.util.Objects;

/**
 * One reference the {@link SqlReferenceRewriter} changed.
 *
 * @param line 1-based line of the reference in the input
 * @param column 1-based column of the reference in the input
 * @param before the text as written
 * @param after the text written instead
 * @param note a fact about the new name (for example "later deprecated in 2.5"), possibly empty
 * @since 0.1
 */
public record Replacement(int line, int column, String before, String after, String note) {
    /**
     * Validates.
     *
     * @param line 1-based line of the reference in the input
     * @param column 1-based column of the reference in the input
     * @param before the text as written
     * @param after the text written instead
     * @param note a fact about the new name (for example "later deprecated in 2.5"), possibly empty
     */
    public Replacement {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(note, "note");
    }

    @Override
    public String toString() {
        return line + ":" + column + " " + before + " -> " + after + (note.isEmpty() ? "" : " (" + note + ")");
    }
}
