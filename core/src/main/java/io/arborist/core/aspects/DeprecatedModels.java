package io.arborist.core.aspects;

import io.arborist.core.CatalogException;
import io.arborist.core.release.ReleaseCatalog;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A versioned {@code remove_deprecated_models} list (the aspects-dbt macro that drops models a newer Aspects no
 * longer builds). The bundled lists are catalog data ({@code aspects.removeDeprecated} in the bundled catalog), so
 * a later aspects-dbt list is added as data, not code.
 *
 * <pre>{@code
 * DeprecatedModels latest = DeprecatedModels.bundledLatest();
 * latest.models().forEach(m -> System.out.println(m));   // view reporting.fact_completions ...
 * }</pre>
 *
 * @param id which list, e.g. {@code aspects-dbt v8.0.0}
 * @param source where the list comes from
 * @param models the models, in the macro's order
 * @since 0.1
 */
public record DeprecatedModels(String id, String source, List<DeprecatedModel> models) {
    /**
     * Validates and copies.
     *
     * @param id which list, e.g. {@code aspects-dbt v8.0.0}
     * @param source where the list comes from
     * @param models the models, in the macro's order
     */
    public DeprecatedModels {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        models = List.copyOf(models);
    }

    /**
     * Every list in the bundled catalog, oldest first.
     *
     * @return the lists
     */
    public static List<DeprecatedModels> bundled() {
        return ReleaseCatalog.bundled().deprecatedModels();
    }

    /** @return the newest list of the bundled catalog */
    public static DeprecatedModels bundledLatest() {
        return latest(ReleaseCatalog.bundled());
    }

    /**
     * @param catalog a catalog, overlays included
     * @return its newest list
     * @throws CatalogException when it has none
     */
    public static DeprecatedModels latest(ReleaseCatalog catalog) {
        List<DeprecatedModels> all = catalog.deprecatedModels();
        if (all.isEmpty()) {
            throw new CatalogException("catalog " + catalog.source() + " has no aspects.removeDeprecated list", null);
        }
        return all.get(all.size() - 1);
    }

    /**
     * @param qualifiedName {@code schema.name}
     * @return the model of that name
     */
    public Optional<DeprecatedModel> find(String qualifiedName) {
        Objects.requireNonNull(qualifiedName, "qualifiedName");
        return models.stream().filter(m -> m.qualifiedName().equals(qualifiedName)).findFirst();
    }
}
