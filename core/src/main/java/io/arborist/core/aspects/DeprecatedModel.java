package io.arborist.core.aspects;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the aspects-dbt {@code remove_deprecated_models} macro: a model that a newer Aspects drops.
 *
 * @param schema the ClickHouse database with the Aspects default name ({@code xapi}, {@code event_sink}, {@code reporting})
 * @param name the model name
 * @param type how the macro drops it
 * @since 0.1
 */
public record DeprecatedModel(String schema, String name, Type type) {
    /** How the macro drops a deprecated model. */
    public enum Type {
        /** {@code drop view if exists schema.name}. */
        VIEW,
        /** {@code drop view if exists schema.name_mv} and {@code drop table if exists schema.name}. */
        MATERIALIZED_VIEW,
        /** {@code drop dictionary if exists schema.name}. */
        DICTIONARY;

        /**
         * @param raw {@code view}, {@code mv} or {@code dictionary}, as in the catalog
         * @return the type
         */
        public static Type parse(String raw) {
            return switch (Objects.requireNonNull(raw, "raw").strip().toLowerCase(Locale.ROOT)) {
                case "view" -> VIEW;
                case "mv", "materialized_view" -> MATERIALIZED_VIEW;
                case "dictionary" -> DICTIONARY;
                default -> throw new IllegalArgumentException("model type must be view, mv or dictionary, got '" + raw + "'");
            };
        }
    }

    /**
     * Validates.
     *
     * @param schema the ClickHouse database with the Aspects default name ({@code xapi}, {@code event_sink}, {@code reporting})
     * @param name the model name
     * @param type how the macro drops it
     */
    public DeprecatedModel {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!schema.matches("[A-Za-z0-9_]+") || !name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("schema and name must be plain identifiers, got '" + schema + "." + name + "'");
        }
    }

    /** @return {@code schema.name} */
    public String qualifiedName() {
        return schema + "." + name;
    }

    /**
     * The objects the macro drops for this model, in drop order: the materialized view {@code name_mv} before its
     * table {@code name}.
     *
     * @return the dropped objects
     */
    public List<DroppedObject> droppedObjects() {
        return switch (type) {
            case VIEW -> List.of(new DroppedObject(schema, name, "VIEW"));
            case DICTIONARY -> List.of(new DroppedObject(schema, name, "DICTIONARY"));
            case MATERIALIZED_VIEW -> List.of(new DroppedObject(schema, name + "_mv", "VIEW"), new DroppedObject(schema, name, "TABLE"));
        };
    }

    /**
     * An object a removal drops.
     *
     * @param schema database
     * @param name object name
     * @param sqlKind the word after {@code DROP}: {@code VIEW}, {@code TABLE} or {@code DICTIONARY}
     */
    public record DroppedObject(String schema, String name, String sqlKind) {
        /**
         * Validates.
         *
         * @param schema database
         * @param name object name
         * @param sqlKind the word after {@code DROP}: {@code VIEW}, {@code TABLE} or {@code DICTIONARY}
         */
        public DroppedObject {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sqlKind, "sqlKind");
        }

        /** @return {@code schema.name} */
        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + " " + qualifiedName();
    }
}
