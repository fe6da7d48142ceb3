package io.arborist.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.CatalogException;
import io.arborist.core.ErrorKind;
import io.arborist.core.PlanningException;
import io.arborist.core.aspects.AspectsFacts;
import io.arborist.core.aspects.AspectsLine;
import io.arborist.core.aspects.AspectsRelease;
import io.arborist.core.aspects.AspectsVersion;
import io.arborist.core.aspects.CompatibilityVerdict;
import io.arborist.core.aspects.DeprecatedModels;
import io.arborist.core.aspects.TableRename;
import io.arborist.core.internal.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The named releases, Tutor lines, datastore defaults and Aspects facts Arborist plans with. Data, not code: the
 * bundled catalog is a JSON resource, and a caller adds a release (say Willow) or corrects a fact with an overlay
 * file, without a code change.
 *
 * <pre>{@code
 * ReleaseCatalog catalog = ReleaseCatalog.bundled();
 * ReleasePoint from = catalog.resolve("open-release/koa.3");   // also "Koa", "koa", "12.2.0" (a Tutor version)
 * ReleaseCatalog mine = catalog.overlay(Path.of("willow.json")); // adds or corrects entries
 * }</pre>
 *
 * <p>Immutable and thread-safe. Malformed catalogs are rejected with a {@link CatalogException} naming the source,
 * the entry and the field.
 *
 * @since 0.1
 */
public final class ReleaseCatalog {
    private static final String BUNDLED = "/io/arborist/core/catalog/catalog.json";
    private static volatile ReleaseCatalog bundled;

    private final ObjectNode tree;
    private final CatalogData data;

    private ReleaseCatalog(ObjectNode tree, CatalogData data) {
        this.tree = tree;
        this.data = data;
    }

    /** @return the catalog shipped with Arborist (Ironwood through Verawood) */
    public static ReleaseCatalog bundled() {
        ReleaseCatalog c = bundled;
        if (c == null) {
            try (InputStream in = ReleaseCatalog.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new CatalogException("catalog resource " + BUNDLED + " is missing from the class path", null);
                }
                c = read(in, "bundled catalog.json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bundled = c;
        }
        return c;
    }

    /**
     * Reads a complete catalog from a file.
     *
     * @param file a catalog JSON file
     * @return the catalog
     * @throws CatalogException naming the file, entry and field when it is malformed or unreadable
     */
    public static ReleaseCatalog load(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new CatalogException("catalog " + file + ": no such file", e);
        } catch (IOException e) {
            throw new CatalogException("catalog " + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a complete catalog from a stream (not closed).
     *
     * @param in catalog JSON
     * @param sourceName name used in error messages
     * @return the catalog
     */
    public static ReleaseCatalog read(InputStream in, String sourceName) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        ObjectNode tree = CatalogReader.parse(in, sourceName);
        return new ReleaseCatalog(tree, CatalogReader.bind(tree, sourceName));
    }

    /**
     * Returns this catalog with an overlay file merged in: entries with a known key (release {@code name}, Aspects
     * line {@code major}, Aspects {@code version}, rename map {@code id}) are corrected field by field, new ones
     * are added.
     *
     * @param file overlay JSON file
     * @return the merged catalog
     */
    public ReleaseCatalog overlay(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return overlay(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new CatalogException("catalog " + file + ": no such file", e);
        } catch (IOException e) {
            throw new CatalogException("catalog " + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Stream variant of {@link #overlay(Path)} (the stream is not closed).
     *
     * @param in overlay JSON
     * @param sourceName name used in error messages
     * @return the merged catalog
     */
    public ReleaseCatalog overlay(InputStream in, String sourceName) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        ObjectNode merged = CatalogReader.merge(tree, CatalogReader.parse(in, sourceName), sourceName);
        return new ReleaseCatalog(merged, CatalogReader.bind(merged, data.source() + " + " + sourceName));
    }

    /** @return where the catalog came from */
    public String source() {
        return data.source();
    }

    /** @return all releases, oldest first */
    public List<Release> releases() {
        return data.releases();
    }

    /**
     * @param name a codename
     * @return the release, if the catalog has it
     */
    public Optional<Release> find(ReleaseName name) {
        Objects.requireNonNull(name, "name");
        return data.releases().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * @param name a codename
     * @return the release
     * @throws PlanningException of kind {@link ErrorKind#UNKNOWN_NAME} naming the valid releases and the nearest one
     */
    public Release release(ReleaseName name) {
        return find(name).orElseThrow(() -> unknownRelease(name.value()));
    }

    /**
     * Resolves what a user typed into a release at a point: {@code koa}, {@code Koa}, {@code koa.3},
     * {@code open-release/koa.3}, {@code release/teak.2}, or a Tutor version ({@code 12.2.0}, which pinned
     * {@code lilac.3}). A bare codename means its newest point release that Tutor shipped.
     *
     * @param text what the user typed
     * @return the release and point
     * @throws PlanningException of kind {@link ErrorKind#UNKNOWN_NAME} with the valid names and the nearest match
     */
    public ReleasePoint resolve(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new PlanningException(ErrorKind.UNKNOWN_NAME, "Empty release name. Known releases: " + knownNames() + ".");
        }
        if (!t.isEmpty() && Character.isDigit(t.charAt(0)) || t.matches("v\\d.*")) {
            if (!TutorVersion.looksLikeVersion(t)) {
                throw new PlanningException(ErrorKind.UNKNOWN_NAME, "'" + text + "' is neither a release name nor a Tutor "
                        + "version. Give a codename such as koa, a tag such as open-release/koa.3, or a Tutor version such as 12.2.0.");
            }
            return resolveTutor(TutorVersion.parse(t), text);
        }
        for (String prefix : List.of("open-release/", "release/", "named-release/")) {
            if (t.startsWith(prefix)) {
                t = t.substring(prefix.length());
                break;
            }
        }
        int dot = t.indexOf('.');
        String name = dot < 0 ? t : t.substring(0, dot);
        String point = dot < 0 ? null : t.substring(dot + 1);
        Release release = data.releases().stream().filter(r -> r.name().value().equals(name)).findFirst()
                .orElseThrow(() -> unknownRelease(name));
        if (point == null || point.equals("master")) {
            return release.newest();
        }
        return release.point(point).map(p -> new ReleasePoint(release.name(), p.name()))
                .orElseThrow(() -> new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown point release '" + text.strip()
                        + "': " + release.displayName() + " has points " + release.points().stream().map(p -> release.name() + "." + p.name())
                        .collect(Collectors.joining(", ")) + "."));
    }

    private ReleasePoint resolveTutor(TutorVersion version, String text) {
        Release release = releaseForTutor(version).orElseThrow(() -> new PlanningException(ErrorKind.UNKNOWN_NAME,
                "Tutor " + version + " (from '" + text.strip() + "') matches no release in the catalog. Known Tutor majors: "
                        + data.releases().stream().map(r -> r.tutor().major() + " (" + r.name() + ")").collect(Collectors.joining(", ")) + "."));
        return release.points().stream().filter(p -> p.pinnedBy(version)).findFirst()
                .map(p -> new ReleasePoint(release.name(), p.name()))
                .orElse(release.newest());
    }

    /**
     * @param version a Tutor version
     * @return the release its major deploys
     */
    public Optional<Release> releaseForTutor(TutorVersion version) {
        Objects.requireNonNull(version, "version");
        return data.releases().stream().filter(r -> r.tutor().major() == version.major()).findFirst();
    }

    /**
     * @param release a release of this catalog
     * @return the release after it, if the catalog has one
     */
    public Optional<Release> next(Release release) {
        int i = data.releases().indexOf(Objects.requireNonNull(release, "release"));
        return i >= 0 && i + 1 < data.releases().size() ? Optional.of(data.releases().get(i + 1)) : Optional.empty();
    }

    /** @return Aspects lines, by major */
    public List<AspectsLine> aspectsLines() {
        return data.aspectsLines();
    }

    /**
     * @param major an Aspects major version
     * @return the line, if the catalog has it
     */
    public Optional<AspectsLine> aspectsLine(int major) {
        return data.aspectsLines().stream().filter(l -> l.major() == major).findFirst();
    }

    /** @return Aspects releases, oldest first */
    public List<AspectsRelease> aspectsReleases() {
        return data.aspectsReleases();
    }

    /**
     * @param version an Aspects version
     * @return that release, if the catalog lists it
     */
    public Optional<AspectsRelease> aspectsRelease(AspectsVersion version) {
        Objects.requireNonNull(version, "version");
        return data.aspectsReleases().stream().filter(a -> a.version().equals(version)).findFirst();
    }

    /**
     * Resolves what a user typed into a listed Aspects release: {@code 2.5.3}, {@code v2.5.3}, or a line such as
     * {@code 2}, {@code 2.x} or {@code 2.5.x} (its newest tagged release).
     *
     * @param text what the user typed
     * @return the Aspects release
     * @throws PlanningException of kind {@link ErrorKind#UNKNOWN_NAME} listing the known versions
     */
    public AspectsRelease resolveAspects(String text) {
        Objects.requireNonNull(text, "text");
        AspectsVersion v;
        try {
            v = AspectsVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PlanningException(ErrorKind.UNKNOWN_NAME, "'" + text + "' is not an Aspects version. Known versions: "
                    + knownAspects() + ".");
        }
        boolean minorLine = AspectsVersion.namesMinorLineOnly(text);
        if (AspectsVersion.namesLineOnly(text) || minorLine) {
            int major = v.major();
            int minor = v.minor();
            List<AspectsRelease> line = data.aspectsReleases().stream()
                    .filter(a -> a.version().major() == major && (!minorLine || a.version().minor() == minor)).toList();
            return line.stream().filter(AspectsRelease::released).reduce((a, b) -> b)
                    .or(() -> line.stream().reduce((a, b) -> b))
                    .orElseThrow(() -> new PlanningException(ErrorKind.UNKNOWN_NAME, "No Aspects " + text.strip() + " release in the catalog. Known versions: "
                            + knownAspects() + "."));
        }
        AspectsVersion exact = v;
        return aspectsRelease(exact).orElseThrow(() -> new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown Aspects version '"
                + text.strip() + "'. Known versions: " + knownAspects() + "."));
    }

    /**
     * Whether an Aspects version runs on a release: supported (documented range, and the version's own minimum
     * release), tolerated (known to run, e.g. per release notes), or unsupported.
     *
     * @param version the Aspects version
     * @param release the named release
     * @return the verdict with its reason
     */
    public CompatibilityVerdict compatibility(AspectsVersion version, ReleaseName release) {
        Objects.requireNonNull(version, "version");
        Release r = release(Objects.requireNonNull(release, "release"));
        Optional<AspectsLine> line = aspectsLine(version.major());
        if (line.isEmpty()) {
            return new CompatibilityVerdict.Unsupported("the catalog has no Aspects " + version.major() + ".x line");
        }
        AspectsLine l = line.get();
        Optional<AspectsRelease> ar = aspectsRelease(version);
        if (ar.isPresent() && release(ar.get().minRelease()).ordinal() > r.ordinal()) {
            return new CompatibilityVerdict.Unsupported("Aspects " + version + " needs " + ar.get().minRelease().displayName()
                    + " or later");
        }
        if (within(r, l.documentedFrom(), l.documentedTo())) {
            return new CompatibilityVerdict.Supported("Aspects " + l.major() + ".x is documented for " + l.documentedRange());
        }
        if (within(r, l.toleratedFrom(), l.toleratedTo())) {
            return new CompatibilityVerdict.Tolerated("Aspects " + l.major() + ".x is documented for " + l.documentedRange()
                    + " and known to run on " + l.toleratedRange());
        }
        return new CompatibilityVerdict.Unsupported("Aspects " + l.major() + ".x is documented for " + l.documentedRange()
                + " (known to run on " + l.toleratedRange() + ")");
    }

    private boolean within(Release r, ReleaseName from, Optional<ReleaseName> to) {
        return r.ordinal() >= release(from).ordinal() && to.map(t -> r.ordinal() <= release(t).ordinal()).orElse(true);
    }

    /**
     * @param fromMajor Aspects major before the upgrade
     * @param toMajor Aspects major after it
     * @return the table rename map between them; empty when the catalog has none
     */
    public List<TableRename> renames(int fromMajor, int toMajor) {
        return data.renames().getOrDefault(fromMajor + "->" + toMajor, List.of());
    }

    /** @return the remove_deprecated_models lists (aspects-dbt), oldest first */
    public List<DeprecatedModels> deprecatedModels() {
        return data.deprecatedModels();
    }

    /** @return the command grammar of every Tutor version, extracted from Tutor's source (scripts/extract-tutor-grammar) */
    public TutorGrammar tutorGrammar() {
        return TutorGrammar.bundled();
    }

    /** @return the Tutor plugin releases with their requirements, extracted from each plugin's tags */
    public PluginCatalog plugins() {
        return PluginCatalog.bundled();
    }

    /** @return the check of {@code pip install} commands against the Tutor and plugin requirements */
    public PipInstallCheck pipInstallCheck() {
        return PipInstallCheck.bundled();
    }

    /** @return step duration estimates */
    public Estimates estimates() {
        return data.estimates();
    }

    /** @return facts about Aspects that decide plan steps (in-context metrics, model cleanup, ClickHouse backups) */
    public AspectsFacts aspectsFacts() {
        return data.aspectsFacts();
    }

    /** @return the day the catalog's facts were last checked against their sources (plans show it) */
    public LocalDate checked() {
        return data.checked();
    }

    private PlanningException unknownRelease(String name) {
        List<String> names = data.releases().stream().map(r -> r.name().value()).toList();
        String hint = Names.nearest(name, names).map(n -> " Did you mean '" + n + "'?").orElse("");
        return new PlanningException(ErrorKind.UNKNOWN_NAME, "Unknown release '" + name + "'." + hint
                + " Known releases: " + String.join(", ", names) + ".");
    }

    private String knownNames() {
        return data.releases().stream().map(r -> r.name().value()).collect(Collectors.joining(", "));
    }

    private String knownAspects() {
        return data.aspectsReleases().stream().map(a -> a.version().toString()).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "ReleaseCatalog[" + data.source() + ", " + data.releases().size() + " releases, "
                + data.aspectsReleases().size() + " Aspects versions]";
    }
}
