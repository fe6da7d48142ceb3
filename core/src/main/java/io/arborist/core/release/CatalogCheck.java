package io.arborist.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compares a catalog's pins with a Python package index's JSON API ({@code GET INDEX/NAME/json}, the format of
 * PyPI's {@code https://pypi.org/pypi/NAME/json}) and reports what is newer: a Tutor release of a major the catalog
 * pins an older version of, a Tutor major no release of the catalog uses (a new named release to add with an
 * overlay), newer Aspects releases, and plugin releases newer than the extracted plugin data. Final releases only: pre-releases and yanked releases are ignored.
 *
 * <pre>{@code
 * CatalogCheck.Report report = CatalogCheck.builder().build().check(ReleaseCatalog.bundled());
 * System.out.print(report.toText());
 * }</pre>
 *
 * <p>Immutable and thread-safe. The library reads no environment: the index URL is the caller's
 * ({@link Builder#index(URI)}, default {@value #PYPI}).
 *
 * @since 0.2
 */
public final class CatalogCheck {
    /** The public index. */
    public static final String PYPI = "https://pypi.org/pypi";
    private static final Pattern FINAL = Pattern.compile("\\d+(\\.\\d+)*");
    private static final int MAX_BYTES = 32 << 20;

    private final URI index;
    private final Duration timeout;
    private final HttpClient http;

    private CatalogCheck(Builder b) {
        this.index = b.index;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** @return a builder (default index: PyPI, timeout 20 s) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param catalog the catalog to check, overlays included
     * @return what the index has that the catalog does not
     * @throws ArboristException of kind UNREACHABLE when the index cannot be read (naming the URL and the status)
     */
    public Report check(ReleaseCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        List<Finding> findings = new ArrayList<>();
        List<String> tutor = versions("tutor");
        Map<Integer, Release> byMajor = new TreeMap<>();
        catalog.releases().forEach(r -> byMajor.put(r.tutor().major(), r));
        int newestMajor = catalog.releases().get(catalog.releases().size() - 1).tutor().major();
        for (Release r : catalog.releases()) {
            newest(tutor, v -> v.startsWith(r.tutor().major() + ".")).filter(v -> newer(v, r.tutor().pin().toString()))
                    .ifPresent(v -> findings.add(new Finding("tutor", r.tutor().pin().toString(), v, r.displayName() + " is pinned at "
                            + r.tutor().pin() + ": correct the pin (and the point releases it ships) with an overlay")));
        }
        Map<Integer, String> unknownMajors = new TreeMap<>();
        for (String v : tutor) {
            int major = Integer.parseInt(v.substring(0, v.indexOf('.') < 0 ? v.length() : v.indexOf('.')));
            if (major > newestMajor) {
                unknownMajors.merge(major, v, (a, b) -> newer(a, b) ? a : b);
            }
        }
        unknownMajors.forEach((major, v) -> findings.add(new Finding("tutor", "none", v, "Tutor " + major
                + ".x deploys a release the catalog does not have: add it with an overlay (see the README, 'Adding a release')")));
        List<String> aspects = versions("tutor-contrib-aspects");
        String known = catalog.aspectsReleases().stream().filter(AspectsRelease::released).map(a -> a.version().toString())
                .reduce((a, b) -> b).orElse("0");
        for (String v : aspects) {
            if (newer(v, known) && catalog.aspectsReleases().stream().noneMatch(a -> a.version().toString().equals(v))) {
                findings.add(new Finding("tutor-contrib-aspects", known, v, "add the Aspects release (its ClickHouse, dbt and "
                        + "Superset versions and documented releases) with an overlay"));
            }
        }
        PluginCatalog plugins = catalog.plugins();
        for (String pkg : plugins.packages()) {
            if (pkg.equals("tutor-contrib-aspects")) {
                continue;
            }
            String newestKnown = plugins.releases(pkg).stream().filter(r -> !r.branch() && FINAL.matcher(r.version()).matches())
                    .map(PluginRelease::version).reduce((a, b) -> compare(a, b) >= 0 ? a : b).orElse("0");
            versions(pkg).stream().filter(v -> newer(v, newestKnown)).reduce((a, b) -> b).ifPresent(v -> findings.add(
                    new Finding(pkg, newestKnown, v, "re-run scripts/extract-tutor-grammar on a fetched " + pkg
                            + " so plans pin it and check its commands")));
        }
        return new Report(index, catalog.checked(), List.copyOf(findings));
    }

    private static Optional<String> newest(List<String> versions, java.util.function.Predicate<String> filter) {
        return versions.stream().filter(filter).max(CatalogCheck::compare);
    }

    private static boolean newer(String a, String b) {
        return compare(a, b) > 0;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    /** @return the final, not yanked versions of a package, oldest first */
    List<String> versions(String pkg) {
        URI uri = URI.create(index.toString().replaceAll("/+$", "") + "/" + pkg + "/json");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw unreachable(uri, "no answer within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw unreachable(uri, "connection refused", e);
        } catch (IOException e) {
            throw unreachable(uri, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArboristException(ErrorKind.INTERRUPTED, "interrupted while reading " + uri, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw unreachable(uri, "HTTP " + response.statusCode() + (response.statusCode() == 404 ? " (no such package)" : ""), null);
            }
            JsonNode root = Json.MAPPER.readTree(new java.io.ByteArrayInputStream(body.readNBytes(MAX_BYTES + 1)));
            List<String> out = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> releases = root.path("releases").fields();
            while (releases.hasNext()) {
                Map.Entry<String, JsonNode> e = releases.next();
                boolean yanked = e.getValue().isArray() && !e.getValue().isEmpty()
                        && java.util.stream.StreamSupport.stream(e.getValue().spliterator(), false).allMatch(f -> f.path("yanked").asBoolean(false));
                String v = e.getKey().startsWith("v") ? e.getKey().substring(1) : e.getKey();
                if (FINAL.matcher(v).matches() && !yanked) {
                    out.add(v);
                }
            }
            if (!root.path("releases").isObject()) {
                throw unreachable(uri, "the answer has no 'releases' object (not a package index JSON API?)", null);
            }
            out.sort(CatalogCheck::compare);
            return out;
        } catch (IOException e) {
            throw unreachable(uri, "the answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static ArboristException unreachable(URI uri, String why, Throwable cause) {
        return new ArboristException(ErrorKind.UNREACHABLE, "package index " + uri + ": " + why
                + ". Check the address (--index-url) and the network.", cause);
    }

    /**
     * One thing the index has that the catalog does not.
     *
     * @param packageName the Python package, e.g. {@code tutor} or {@code tutor-contrib-aspects}
     * @param catalogVersion the newest version the catalog knows for it, or {@code none}
     * @param indexVersion the newer version the index lists
     * @param action what to do about it
     */
    public record Finding(String packageName, String catalogVersion, String indexVersion, String action) {
        /**
         * Validates.
         *
         * @param packageName the Python package
         * @param catalogVersion the newest version the catalog knows for it, or {@code none}
         * @param indexVersion the newer version the index lists
         * @param action what to do about it
         */
        public Finding {
            Objects.requireNonNull(packageName, "packageName");
            Objects.requireNonNull(catalogVersion, "catalogVersion");
            Objects.requireNonNull(indexVersion, "indexVersion");
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * The result of a check.
     *
     * @param index the index read
     * @param catalogChecked when the catalog's facts were last checked
     * @param findings what is newer on the index, empty when the catalog is current
     */
    public record Report(URI index, java.time.LocalDate catalogChecked, List<Finding> findings) {
        /**
         * Validates and copies.
         *
         * @param index the index read
         * @param catalogChecked when the catalog's facts were last checked
         * @param findings what is newer on the index, empty when the catalog is current
         */
        public Report {
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(catalogChecked, "catalogChecked");
            findings = List.copyOf(findings);
        }

        /** @return whether the index has nothing newer than the catalog */
        public boolean current() {
            return findings.isEmpty();
        }

        /** @return the report for people, one line per finding */
        public String toText() {
            StringBuilder b = new StringBuilder("Catalog checked on " + catalogChecked + "; compared with " + index + ".\n");
            if (findings.isEmpty()) {
                return b.append("Nothing newer on the index: the catalog's pins are current.\n").toString();
            }
            Map<String, List<Finding>> byPackage = new LinkedHashMap<>();
            findings.forEach(f -> byPackage.computeIfAbsent(f.packageName(), k -> new ArrayList<>()).add(f));
            byPackage.forEach((pkg, list) -> list.stream().sorted(Comparator.comparing(Finding::indexVersion, CatalogCheck::compare))
                    .forEach(f -> b.append(pkg).append(' ').append(f.indexVersion()).append(" (catalog: ").append(f.catalogVersion())
                            .append("): ").append(f.action()).append('\n')));
            return b.toString();
        }
    }

    /** Configures a {@link CatalogCheck}. */
    public static final class Builder {
        private URI index = URI.create(PYPI);
        private Duration timeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /**
         * @param index the JSON API root, e.g. {@code https://pypi.org/pypi} (default)
         * @return this
         */
        public Builder index(URI index) {
            Objects.requireNonNull(index, "index");
            if (!"http".equals(index.getScheme()) && !"https".equals(index.getScheme())) {
                throw new IllegalArgumentException("index URL must be http or https, got '" + index.getScheme() + "'");
            }
            if (index.getUserInfo() != null) {
                throw new IllegalArgumentException("index URL must not contain credentials");
            }
            this.index = index;
            return this;
        }

        /**
         * @param timeout per request (default 20 s)
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @return the check */
        public CatalogCheck build() {
            return new CatalogCheck(this);
        }
    }
}
