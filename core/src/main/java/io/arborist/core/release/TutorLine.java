package io.arborist.core.release;

import java.util.Objects;

/**
 * The Tutor major that deploys a release, the version Arborist installs for it, and how that Tutor is called.
 *
 * @param major Tutor major ({@code 11} for Koa, {@code 3} for Ironwood)
 * @param pin the version installed for the release (normally the last Tutor release of the major)
 * @param pipPackage the pip requirement name: {@code tutor-openedx} up to 12.0.1, {@code tutor[full]} from 13
 * @param hostPython the minimal Python version on the host that runs the Tutor command line
 * @param launchVerb {@code quickstart} (up to Tutor 14) or {@code launch} (from 15)
 * @param doJobs whether jobs run as {@code tutor local do init} (from 15) rather than {@code tutor local init}
 * @since 0.1
 */
public record TutorLine(int major, TutorVersion pin, String pipPackage, String hostPython, String launchVerb,
                        boolean doJobs) {
    /** Validates all parts. */
    public TutorLine {
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(pipPackage, "pipPackage");
        Objects.requireNonNull(hostPython, "hostPython");
        Objects.requireNonNull(launchVerb, "launchVerb");
        if (pin.major() != major) {
            throw new IllegalArgumentException("Tutor pin " + pin + " is not in major " + major);
        }
    }

    /** @return the pip requirement that installs the pinned Tutor, e.g. {@code tutor[full]==21.0.8} */
    public String pipRequirement() {
        return pipPackage + "==" + pin;
    }
}
