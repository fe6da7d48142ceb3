package io.arborist.core.aspects;

import io.arborist.core.release.ReleaseName;
import java.util.Objects;

/**
 * Facts about Aspects that decide plan steps, kept as catalog data with their sources rather than as thresholds in
 * code.
 *
 * @param inContextMetricsFrom the first release with in-context (Studio) metrics, which patch the mfe image
 *     (openedx-aspects docs: "only available starting in the Teak Open edX release")
 * @param cleanupFrom the first Aspects version whose upgrade ends with {@code remove_deprecated_models}
 * @param clickhouseBackupRule how ClickHouse backups are taken, said at backup steps (the streaming path or the
 *     server's own BACKUP, and when each applies)
 * @param source where the facts come from
 * @since 0.2
 */
public record AspectsFacts(ReleaseName inContextMetricsFrom, AspectsVersion cleanupFrom, String clickhouseBackupRule, String source) {
    /**
     * Validates.
     *
     * @param inContextMetricsFrom the first release with in-context (Studio) metrics, which patch the mfe image
     *     (openedx-aspects docs: "only available starting in the Teak Open edX release")
     * @param cleanupFrom the first Aspects version whose upgrade ends with {@code remove_deprecated_models}
     * @param clickhouseBackupRule how ClickHouse backups are taken, said at backup steps (the streaming path or the
     *     server's own BACKUP, and when each applies)
     * @param source where the facts come from
     */
    public AspectsFacts {
        Objects.requireNonNull(inContextMetricsFrom, "inContextMetricsFrom");
        Objects.requireNonNull(cleanupFrom, "cleanupFrom");
        Objects.requireNonNull(clickhouseBackupRule, "clickhouseBackupRule");
        Objects.requireNonNull(source, "source");
    }
}
