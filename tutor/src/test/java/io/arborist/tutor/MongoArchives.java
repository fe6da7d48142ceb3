package io.arborist.tutor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Builds {@code mongodump --archive --gzip} output the way mongo-tools lays it out ({@code archive/prelude.go} and
 * the multiplexer): magic number, header, one document per collection, terminator, then per collection a namespace
 * header, its documents and a terminator, and an EOF header per collection; all gzipped as one stream. A test aid that
 * lets the fake tutor stream a known archive; no MongoDB tool reads it here.
 */
final class MongoArchives {
    static final List<String> NAMESPACES = List.of("openedx.modulestore.structures", "openedx.modulestore.definitions",
            "openedx.fs.chunks", "cs_comments_service.contents");

    private MongoArchives() {
    }

    /** An archive of {@link #NAMESPACES} whose documents hold about {@code payload} bytes of incompressible data. */
    static byte[] archive(int payload) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(le32(0x8199e26d));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("concurrent_collections", 4);
        header.put("version", "0.1");
        header.put("server_version", "7.0.28");
        header.put("tool_version", "100.10.0");
        raw.write(bson(header));
        for (String ns : NAMESPACES) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("db", ns.substring(0, ns.indexOf('.')));
            meta.put("collection", ns.substring(ns.indexOf('.') + 1));
            meta.put("metadata", "{\"indexes\":[{\"v\":2,\"key\":{\"_id\":1},\"name\":\"_id_\"}]}");
            meta.put("size", 0);
            meta.put("type", "collection");
            raw.write(bson(meta));
        }
        raw.write(le32(-1));
        Random random = new Random(7);
        for (String ns : NAMESPACES) {
            raw.write(bson(namespaceHeader(ns, false)));
            for (int i = 0; i < 3; i++) {
                byte[] data = new byte[payload / (3 * NAMESPACES.size()) + 1];
                random.nextBytes(data);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("_id", i);
                doc.put("data", data);
                raw.write(bson(doc));
            }
            raw.write(le32(-1));
        }
        for (String ns : NAMESPACES) {
            raw.write(bson(namespaceHeader(ns, true)));
            raw.write(le32(-1));
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw.toByteArray());
        }
        return gz.toByteArray();
    }

    private static Map<String, Object> namespaceHeader(String ns, boolean eof) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("db", ns.substring(0, ns.indexOf('.')));
        h.put("collection", ns.substring(ns.indexOf('.') + 1));
        h.put("EOF", eof);
        h.put("CRC", 0L);
        return h;
    }

    /** A BSON document of strings, ints, longs, booleans and binaries. */
    static byte[] bson(Map<String, Object> fields) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Object v = f.getValue();
            byte type = v instanceof String ? (byte) 0x02 : v instanceof Integer ? (byte) 0x10 : v instanceof Long ? (byte) 0x12
                    : v instanceof Boolean ? (byte) 0x08 : (byte) 0x05;
            body.write(type);
            body.write(f.getKey().getBytes(StandardCharsets.UTF_8));
            body.write(0);
            if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                body.write(le32(b.length + 1));
                body.write(b);
                body.write(0);
            } else if (v instanceof Integer i) {
                body.write(le32(i));
            } else if (v instanceof Long l) {
                body.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(l).array());
            } else if (v instanceof Boolean b) {
                body.write(b ? 1 : 0);
            } else {
                byte[] b = (byte[]) v;
                body.write(le32(b.length));
                body.write(0);
                body.write(b);
            }
        }
        body.write(0);
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        doc.write(le32(body.size() + 4));
        body.writeTo(doc);
        return doc.toByteArray();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
