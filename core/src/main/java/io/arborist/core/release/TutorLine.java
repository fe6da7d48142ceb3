package io.arborist.core.release;

import java.util.Objects;

/**
 * The Tutor major that deploys a release and the version Arborist installs for it. How that Tutor is called (launch or
 * quickstart, {@code do} jobs, which {@code --from} it accepts) is not stored here: it comes from the grammar extracted
 * from Tutor's source at each tag ({@link TutorGrammar}).
 *
 * @param major Tutor major ({@code 11} for Koa, {@code 3} for Ironwood)
 * @param pin the version installed for the release (normally the last Tutor release of the major)
 * @param pipPackage the pip requirement name: {@code tutor-openedx} up to 11, {@code tutor} in 12, {@code tutor[full]} from 13
 * @since 0.1
 */
public record TutorLine(int major, TutorVersion pin, String pipPackage) {
    /**
     * Validates all parts.
     *
     * @param major Tutor major ({@code 11} for Koa, {@code 3} for Ironwood)
     * @param pin the version installed for the release (normally the last Tutor release of the major)
     * @param pipPackage the pip requirement name: {@code tutor-openedx} up to 11, {@code tutor} in 12, {@code tutor[full]} from 13
     */
    public TutorLine {
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(pipPackage, "pipPackage");
        if (pin.major() != major) {
            throw new IllegalArgumentException("Tutor pin " + pin + " is not in major " + major);
        }
    }

    /** @return the pip requirement that installs the pinned Tutor, e.g. {@code tutor[full]==21.0.8} */
    public String pipRequirement() {
        return pipPackage + "==" + pin;
    }
}
