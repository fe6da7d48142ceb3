package io.arborist.core.internal;

import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.TableRename;
import io.arborist.core.release.Estimates;
import io.arborist.core.release.Release;
import java.util.List;
import java.util.Map;

/**
 * Everything a catalog file holds, bound and validated.
 *
 * @param source where it was read from
 * @param releases releases in order
 * @param aspectsLines Aspects lines by major
 * @param aspectsReleases Aspects releases, oldest first
 * @param renames rename maps keyed {@code "1->2"}
 * @param estimates duration estimates
 */
public record CatalogData(String source, List<Release> releases, List<AspectsLine> aspectsLines,
                          List<AspectsRelease> aspectsReleases, Map<String, List<TableRename>> renames,
                          Estimates estimates) {
}
