package io.arborist.core.release;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arborist.core.CatalogException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JSON document whose top-level members are either read at once (small ones) or kept as tables of entries
 * (objects keyed by id) that are only tokenized on load and parsed when an entry is first asked for. This keeps the
 * first use of the grammar cheap: a check parses the handful of command nodes it walks. Package-private.
 */
final class JsonTables {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final byte[] bytes;
    private final String sourceName;
    private final Map<String, JsonNode> members = new HashMap<>();
    private final Map<String, Map<String, int[]>> tables = new HashMap<>();
    private final Map<String, JsonNode> parsed = new ConcurrentHashMap<>();

    private JsonTables(byte[] bytes, String sourceName, Set<String> tableNames, Set<String> memberNames) {
        this.bytes = bytes;
        this.sourceName = sourceName;
        try (JsonParser p = FACTORY.createParser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken value = p.nextToken();
                if (tableNames.contains(member)) {
                    expect(value, JsonToken.START_OBJECT);
                    Map<String, int[]> entries = new HashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String id = p.currentName();
                        p.nextToken();
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        entries.put(id, new int[] {start, end});
                    }
                    tables.put(member, entries);
                } else if (memberNames.contains(member)) {
                    members.put(member, MAPPER.readTree(p));
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new CatalogException(sourceName + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new CatalogException(sourceName + ": expected " + expected + ", found " + actual, null);
        }
    }

    /**
     * @param resource class path resource
     * @param tableNames members that are objects of entries keyed by id, parsed entry by entry on use
     * @param memberNames members parsed at once; any other member is skipped
     */
    static JsonTables read(String resource, Set<String> tableNames, Set<String> memberNames) {
        try (InputStream in = JsonTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CatalogException("resource " + resource + " is missing from the class path", null);
            }
            return new JsonTables(in.readAllBytes(), "bundled " + resource.substring(resource.lastIndexOf('/') + 1),
                    tableNames, memberNames);
        } catch (IOException e) {
            throw new CatalogException("resource " + resource + " cannot be read: " + e.getMessage(), e);
        }
    }

    String sourceName() {
        return sourceName;
    }

    /** A member read at once; a missing node when absent. */
    JsonNode member(String name) {
        return members.getOrDefault(name, MAPPER.missingNode());
    }

    boolean has(String table, String id) {
        Map<String, int[]> entries = tables.get(table);
        return entries != null && entries.containsKey(id);
    }

    /** An entry of a table, parsed on first use. */
    JsonNode entry(String table, String id) {
        return parsed.computeIfAbsent(table + "\u0000" + id, key -> {
            Map<String, int[]> entries = tables.get(table);
            int[] range = entries == null ? null : entries.get(id);
            if (range == null) {
                throw new CatalogException(sourceName + ": " + table + " has no entry " + id, null);
            }
            try {
                return MAPPER.readTree(bytes, range[0], range[1] - range[0]);
            } catch (IOException e) {
                throw new CatalogException(sourceName + ": " + table + " entry " + id + " is not valid JSON", e);
            }
        });
    }
}
