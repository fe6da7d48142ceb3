package io.arborist.core.aspects;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.CatalogException;
import io.arborist.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
    private static final String RESOURCE = "/io/arborist/core/catalog/catalog.json";

    /** Validates and copies. */
    public DeprecatedModels {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        models = List.copyOf(models);
    }

    /**
     * Every list in the bundled catalog, oldest first.
     *
     * @return the lists
     * @throws CatalogException when the bundled catalog is unreadable
     */
    public static List<DeprecatedModels> bundled() {
        try (InputStream in = DeprecatedModels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CatalogException("bundled catalog " + RESOURCE + " is missing from the class path", null);
            }
            JsonNode lists = Json.read(in, "bundled catalog").path("aspects").path("removeDeprecated");
            List<DeprecatedModels> out = new ArrayList<>();
            for (JsonNode list : lists) {
                List<DeprecatedModel> models = new ArrayList<>();
                for (JsonNode m : list.path("models")) {
                    models.add(new DeprecatedModel(m.path("schema").asText(), m.path("name").asText(),
                            DeprecatedModel.Type.parse(m.path("type").asText())));
                }
                out.add(new DeprecatedModels(list.path("id").asText(), list.path("source").asText(""), models));
            }
            return List.copyOf(out);
        } catch (IOException | IllegalArgumentException e) {
            throw new CatalogException("bundled catalog: aspects.removeDeprecated cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return the newest bundled list */
    public static DeprecatedModels bundledLatest() {
        List<DeprecatedModels> all = bundled();
        if (all.isEmpty()) {
            throw new CatalogException("bundled catalog has no aspects.removeDeprecated list", null);
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
