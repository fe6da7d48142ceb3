package io.arborist.core.aspects;

import java.util.Objects;

/**
 * A reference to a model that has no successor, found by the {@link SqlReferenceRewriter} and left as written: the
 * query needs a human.
 *
 * @param line 1-based line in the input
 * @param column 1-based column in the input
 * @param reference the text as written ({@code reporting.fact_navigation}, {@code ref('fact_navigation')})
 * @param model the deprecated model, {@code schema.table}
 * @param reason why it is reported (deprecated in the rename map, or in a removal list)
 * @since 0.1
 */
public record DeprecatedReference(int line, int column, String reference, String model, String reason) {
    /**
     * Validates.
     *
     * @param line 1-based line in the input
     * @param column 1-based column in the input
     * @param reference the text as written ({@code reporting.fact_navigation}, {@code ref('fact_navigation')})
     * @param model the deprecated model, {@code schema.table}
     * @param reason why it is reported (deprecated in the rename map, or in a removal list)
     */
    public DeprecatedReference {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return line + ":" + column + " " + reference + " is DEPRECATED (" + model + "; " + reason + ")";
    }
}
