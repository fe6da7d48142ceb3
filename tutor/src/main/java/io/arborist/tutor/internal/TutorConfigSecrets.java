package io.arborist.tutor.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Learns the secret values of a Tutor root's {@code config.yml}: every scalar under a key that
 * {@linkplain Secrets#isSensitiveKey(String) looks secret}, at any depth (plugins nest their settings), at least
 * {@link #MIN_LENGTH} characters long. Re-reads the file when it changes (a {@code tutor config save} during a run adds
 * the secrets of a newly enabled plugin). Thread-safe.
 */
public final class TutorConfigSecrets {
    /**
     * Shortest value learned. Shorter values ({@code true}, {@code 1}, a port) would mask common words and numbers in
     * every line; Tutor's own generated secrets are at least 8 characters ({@code {{ 8|random_string }}} for the MySQL
     * passwords in tutor/templates/config/base.yml, v12 to v21), so 6 leaves room for hand-set ones. Shorter values
     * are still hidden where they appear in a secret-looking shape ({@link SecretShapes}).
     */
    public static final int MIN_LENGTH = 6;
    /** Largest config.yml read; a Tutor configuration with every plugin is a few tens of KiB. */
    public static final int MAX_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(TutorConfigSecrets.class);
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_BYTES).build())
            .build());

    private final Optional<Path> root;
    private Path resolvedRoot;
    private Object stamp;
    private Secrets learned = Secrets.NONE;
    private boolean toldMissing;

    /**
     * @param root the Tutor root; empty: ask for it the first time secrets are needed
     */
    public TutorConfigSecrets(Optional<Path> root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** @return the root given at construction, if any */
    public Optional<Path> root() {
        return root;
    }

    /**
     * @param askRoot finds the Tutor root when none was given (runs {@code tutor config printroot}); called at most
     *        once successfully
     * @return the secrets of the current config.yml; none while the root has no config.yml
     * @throws ArboristException of kind CONFIGURATION when config.yml cannot be read or is not a Tutor configuration
     */
    public synchronized Secrets current(Supplier<Path> askRoot) {
        if (resolvedRoot == null) {
            resolvedRoot = root.orElseGet(askRoot);
        }
        Path file = resolvedRoot.resolve("config.yml");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (!toldMissing) {
                toldMissing = true;
                LOG.info("{} does not exist (yet): no secrets learned from the Tutor configuration", file);
            }
            stamp = null;
            learned = Secrets.NONE;
            return learned;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        Object now = List.of(attrs.lastModifiedTime(), attrs.size(), String.valueOf(attrs.fileKey()));
        if (!now.equals(stamp)) {
            learned = read(file);
            stamp = now;
            LOG.debug("learned {} from {}", learned, file);
        }
        return learned;
    }

    /**
     * @param file a Tutor {@code config.yml}
     * @return its secret values
     * @throws ArboristException of kind CONFIGURATION when it cannot be read, is too large, is not YAML or is not a
     *         mapping; the message gives the place, never the content
     */
    public static Secrets read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot learn the secrets of " + file + ": it is larger than "
                    + (MAX_BYTES >> 20) + " MiB, which no Tutor configuration is; point the Tutor root at the right directory");
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            // The parser's own message may quote the offending line, which may hold a secret: give only the place.
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot learn the secrets of " + file + ": it is not valid"
                    + " YAML" + where + " (or nests deeper than 64 levels); fix it, or let 'tutor config save' rewrite it");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return Secrets.NONE;
        }
        if (!tree.isObject()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot learn the secrets of " + file + ": it holds a YAML "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not the mapping of settings a Tutor"
                    + " configuration is; point the Tutor root at the right directory");
        }
        List<String> values = new ArrayList<>();
        collect(tree, false, values);
        return Secrets.of(values);
    }

    private static void collect(JsonNode node, boolean secret, List<String> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), secret || Secrets.isSensitiveKey(field.getKey()), into);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, secret, into));
        } else if (secret && (node.isTextual() || node.isNumber())) {
            addLines(node.asText(), into);
        }
    }

    /** A multi-line value (a PEM key) is learned line by line: only lines long enough to be worth hiding. */
    private static void addLines(String value, List<String> into) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            if (value.strip().length() >= MIN_LENGTH) {
                into.add(value);
            }
            return;
        }
        for (String line : value.split("\r?\n|\r")) {
            if (line.strip().length() >= MIN_LENGTH) {
                into.add(line);
            }
        }
    }

    private static ArboristException unreadable(Path file, IOException e) {
        return new ArboristException(ErrorKind.CONFIGURATION, "cannot learn the secrets of " + file + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()) + "; check the Tutor root and its permissions", e);
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(64);
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        return options;
    }
}
