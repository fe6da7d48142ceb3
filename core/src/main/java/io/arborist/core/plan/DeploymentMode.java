package io.arborist.core.plan;

import java.util.Locale;
import java.util.Objects;

/**
 * How Tutor deploys the site; decides the {@code tutor <mode>} word and which steps Tutor only prints.
 *
 * @since 0.1
 */
public enum DeploymentMode {
    /** {@code tutor local}: docker compose on one host. */
    LOCAL,
    /** {@code tutor dev}: docker compose with development images. */
    DEV,
    /** {@code tutor k8s}: Kubernetes; Tutor prints several datastore steps instead of running them. */
    K8S;

    /** @return the word after {@code tutor}: {@code local}, {@code dev} or {@code k8s} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code local}, {@code dev} or {@code k8s}, any case
     * @return the mode
     * @throws IllegalArgumentException naming the text and the valid values
     */
    public static DeploymentMode parse(String text) {
        Objects.requireNonNull(text, "text");
        for (DeploymentMode m : values()) {
            if (m.word().equalsIgnoreCase(text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown deployment mode '" + text + "' (expected local, dev or k8s)");
    }
}
