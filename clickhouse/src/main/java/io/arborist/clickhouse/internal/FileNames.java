package io.arborist.clickhouse.internal;

import java.nio.charset.StandardCharsets;

/** Turns object names into portable file names (letters, digits, {@code _ -} kept; anything else {@code %XX}). */
public final class FileNames {
    private FileNames() {
    }

    /** @return the encoded name */
    public static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
