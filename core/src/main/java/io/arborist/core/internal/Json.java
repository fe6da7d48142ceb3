package io.arborist.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one Jackson mapper of Arborist core, and the one way it reads untrusted JSON (catalog overlays, plans, journals,
 * snapshots): bounded nesting, string, number and document sizes, and every failure as one line naming the source.
 */
public final class Json {
    /** Deepest nesting any Arborist document has, with a wide margin. */
    public static final int MAX_DEPTH = 64;
    /** Longest string value (a plan's rationale is a few hundred characters). */
    public static final int MAX_STRING = 1 << 20;
    /** Largest document (a plan of hundreds of steps is a few hundred KiB). */
    public static final long MAX_DOCUMENT = 64L << 20;
    /** Longest duration any estimate, step or timeout may be. */
    public static final Duration MAX_DURATION = Duration.ofDays(60);

    /** Strict: duplicate keys are errors, output is indented and stable, inputs are bounded. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING)
                            .maxNumberLength(40).maxDocumentLength(MAX_DOCUMENT).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /**
     * @param json text
     * @param what what it is, for the message ({@code plan}, {@code catalog /tmp/x.json})
     * @return the tree
     * @throws ArboristException of kind CONFIGURATION, one line: where and why it cannot be read
     */
    public static JsonNode read(String json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(what, e);
        }
    }

    /**
     * @param in a stream (not closed)
     * @param what what it is, for the message
     * @return the tree
     * @throws ArboristException of kind CONFIGURATION, one line
     * @throws IOException when the stream cannot be read
     */
    public static JsonNode read(InputStream in, String what) throws IOException {
        try {
            return MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw invalid(what, e);
        }
    }

    /**
     * @param what what was read
     * @param e the parse failure
     * @return one line naming the source, the place and the reason (the limit, for inputs that exceed one)
     */
    public static ArboristException invalid(String what, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return new ArboristException(ErrorKind.CONFIGURATION, what + ": too large or too deeply nested to be an Arborist document ("
                    + firstLine(e.getOriginalMessage()) + "); limits: nesting " + MAX_DEPTH + ", strings " + MAX_STRING
                    + " characters, documents " + (MAX_DOCUMENT >> 20) + " MiB", e);
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new ArboristException(ErrorKind.CONFIGURATION, what + ": not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
    }

    /**
     * Parses an ISO-8601 duration from untrusted input, bounded to {@link #MAX_DURATION} so sums cannot overflow.
     *
     * @param text e.g. {@code PT30M}
     * @param field the field, for the message
     * @return the duration
     * @throws IllegalArgumentException naming the field and value
     */
    public static Duration duration(String text, String field) {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 duration like PT30M, got \"" + shorten(text) + "\"");
        }
        if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("field '" + field + "' is " + shorten(text) + "; it must be between zero and "
                    + MAX_DURATION.toDays() + " days");
        }
        return d;
    }

    /**
     * @param node a number node
     * @return its value, when it is an integer that fits in a {@code long}
     */
    public static Optional<Long> exactLong(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() ? Optional.of(node.longValue()) : Optional.empty();
    }

    /** @return the text cut to 80 characters, for messages that echo input */
    public static String shorten(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
