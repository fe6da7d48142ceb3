package io.arborist.core.release;

import io.arborist.core.aspects.AspectsFacts;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.TableRename;
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
 * @param aspectsFacts facts about Aspects that decide plan steps
 * @param checked when the catalog's facts were last checked against their sources
 * @param deprecatedModels the remove_deprecated_models lists, oldest first
 */
record CatalogData(String source, List<Release> releases, List<AspectsLine> aspectsLines,
                          List<AspectsRelease> aspectsReleases, Map<String, List<TableRename>> renames,
                          Estimates estimates, AspectsFacts aspectsFacts, java.time.LocalDate checked,
                   List<io.arborist.core.aspects.DeprecatedModels> deprecatedModels) {
}
