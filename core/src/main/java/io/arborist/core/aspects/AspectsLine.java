package io.arborist.core.aspects;

import io.arborist.core.release.ReleaseName;
import java.util.Objects;
import java.util.Optional;

/**
 * One Aspects major line and the named releases it runs on. The documented range is what the Aspects upgrade
 * how-to states; the tolerated range is where operators ran it in practice (release notes, README), used only to
 * let an installation pass through a release on its way to an Aspects upgrade.
 *
 * @param major the major version
 * @param documentedFrom first release the documentation supports
 * @param documentedTo last release the documentation supports; empty means "and later"
 * @param toleratedFrom first release it is known to run on
 * @param toleratedTo last release it is known to run on; empty means "and later"
 * @param clickhouse the ClickHouse version its newest release defaults to
 * @param requirement the hard technical gate behind the range (Python, Paragon)
 * @param source where the range comes from
 * @since 0.1
 */
public record AspectsLine(int major, ReleaseName documentedFrom, Optional<ReleaseName> documentedTo,
                          ReleaseName toleratedFrom, Optional<ReleaseName> toleratedTo, String clickhouse,
                          String requirement, String source) {
    /**
     * Validates all parts.
     *
     * @param major the major version
     * @param documentedFrom first release the documentation supports
     * @param documentedTo last release the documentation supports; empty means "and later"
     * @param toleratedFrom first release it is known to run on
     * @param toleratedTo last release it is known to run on; empty means "and later"
     * @param clickhouse the ClickHouse version its newest release defaults to
     * @param requirement the hard technical gate behind the range (Python, Paragon)
     * @param source where the range comes from
     */
    public AspectsLine {
        if (major < 0) {
            throw new IllegalArgumentException("major must be >= 0, got " + major);
        }
        Objects.requireNonNull(documentedFrom, "documentedFrom");
        Objects.requireNonNull(documentedTo, "documentedTo");
        Objects.requireNonNull(toleratedFrom, "toleratedFrom");
        Objects.requireNonNull(toleratedTo, "toleratedTo");
        Objects.requireNonNull(clickhouse, "clickhouse");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(source, "source");
    }

    /** @return the documented range for people, e.g. {@code Nutmeg through Quince} or {@code Verawood and later} */
    public String documentedRange() {
        return range(documentedFrom, documentedTo);
    }

    /** @return the tolerated range for people */
    public String toleratedRange() {
        return range(toleratedFrom, toleratedTo);
    }

    private static String range(ReleaseName from, Optional<ReleaseName> to) {
        return to.map(t -> t.equals(from) ? from.displayName() : from.displayName() + " through " + t.displayName())
                .orElse(from.displayName() + " and later");
    }
}
