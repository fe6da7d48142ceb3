package io.arborist.core.plan;

import io.arborist.core.release.Datastore;
import io.arborist.core.release.ReleasePoint;
import io.arborist.core.release.TutorVersion;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The installation an upgrade starts from.
 *
 * <pre>{@code
 * Installation from = Installation.of(catalog.resolve("koa"))
 *         .withMode(DeploymentMode.K8S)
 *         .withAspects(AspectsSetup.of(AspectsVersion.parse("1.3.2")))
 *         .withCustomTheme("mytheme");
 * }</pre>
 *
 * @param release the release and point it runs
 * @param tutor the installed Tutor version, when known
 * @param mode how Tutor deploys it (default: local)
 * @param aspects the Aspects plugin, when installed
 * @param customTheme whether a custom comprehensive theme is baked into the openedx image (default: no)
 * @param themeName the theme's name, when known; used for {@code do settheme} after the last build
 * @param plugins extra Tutor plugins to pin per hop (names such as {@code indigo} or {@code tutor-contrib-xyz})
 * @param datastores datastore versions known to run, overriding the release defaults
 * @param customRequirements whether the images carry customisations the official ones lack (extra pip requirements,
 *     Dockerfile patches, a custom image registry); then every hop builds its images, otherwise intermediate hops pull
 *     the official ones and only the last hop builds (default: no)
 * @since 0.1
 */
public record Installation(ReleasePoint release, Optional<TutorVersion> tutor, DeploymentMode mode,
                           Optional<AspectsSetup> aspects, boolean customTheme, Optional<String> themeName,
                           List<String> plugins, Map<Datastore, String> datastores, boolean customRequirements) {
    /**
     * Validates and copies.
     *
     * @param release the release and point it runs
     * @param tutor the installed Tutor version, when known
     * @param mode how Tutor deploys it (default: local)
     * @param aspects the Aspects plugin, when installed
     * @param customTheme whether a custom comprehensive theme is baked into the openedx image (default: no)
     * @param themeName the theme's name, when known; used for {@code do settheme} after the last build
     * @param plugins extra Tutor plugins to pin per hop (names such as {@code indigo} or {@code tutor-contrib-xyz})
     * @param datastores datastore versions known to run, overriding the release defaults
     * @param customRequirements whether the images carry customisations the official ones lack (extra pip requirements,
     *     Dockerfile patches, a custom image registry); then every hop builds its images, otherwise intermediate hops pull
     *     the official ones and only the last hop builds (default: no)
     */
    public Installation {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(tutor, "tutor");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(aspects, "aspects");
        Objects.requireNonNull(themeName, "themeName");
        plugins = List.copyOf(plugins);
        for (String p : plugins) {
            if (!p.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("plugin name must be a pip package name, got '" + p + "'");
            }
        }
        datastores = datastores.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(datastores));
        datastores.forEach((store, version) -> {
            if (!version.matches("v?[0-9]{1,4}(\\.[0-9]{1,6}){0,3}")) {
                throw new IllegalArgumentException("datastore version for " + store.name().toLowerCase(java.util.Locale.ROOT)
                        + " must look like 8.0.35 or v1.8.4, got '" + io.arborist.core.internal.Json.shorten(version) + "'");
            }
        });
        themeName.ifPresent(t -> {
            if (!t.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("theme name must be letters, digits, '.', '_' or '-', got '" + t + "'");
            }
        });
        if (themeName.isPresent() && !customTheme) {
            throw new IllegalArgumentException("a theme name needs customTheme=true");
        }
    }

    /**
     * @param release where the installation is
     * @return a local installation with no Aspects, no custom theme and no extra plugins
     */
    public static Installation of(ReleasePoint release) {
        return new Installation(release, Optional.empty(), DeploymentMode.LOCAL, Optional.empty(), false,
                Optional.empty(), List.of(), Map.of(), false);
    }

    /**
     * @param v installed Tutor version
     * @return a copy
     */
    public Installation withTutor(TutorVersion v) {
        return new Installation(release, Optional.of(v), mode, aspects, customTheme, themeName, plugins, datastores, customRequirements);
    }

    /**
     * @param m deployment mode
     * @return a copy
     */
    public Installation withMode(DeploymentMode m) {
        return new Installation(release, tutor, m, aspects, customTheme, themeName, plugins, datastores, customRequirements);
    }

    /**
     * @param a the installed Aspects
     * @return a copy
     */
    public Installation withAspects(AspectsSetup a) {
        return new Installation(release, tutor, mode, Optional.of(a), customTheme, themeName, plugins, datastores, customRequirements);
    }

    /**
     * @param on whether a custom theme is used (its name unknown)
     * @return a copy
     */
    public Installation withCustomTheme(boolean on) {
        return new Installation(release, tutor, mode, aspects, on, on ? themeName : Optional.empty(), plugins, datastores, customRequirements);
    }

    /**
     * @param name the custom theme's name
     * @return a copy with a custom theme
     */
    public Installation withCustomTheme(String name) {
        return new Installation(release, tutor, mode, aspects, true, Optional.of(name), plugins, datastores, customRequirements);
    }

    /**
     * @param names extra plugin names
     * @return a copy
     */
    public Installation withPlugins(List<String> names) {
        return new Installation(release, tutor, mode, aspects, customTheme, themeName, names, datastores, customRequirements);
    }

    /**
     * @param store a datastore
     * @param version the version it runs
     * @return a copy
     */
    public Installation withDatastore(Datastore store, String version) {
        Map<Datastore, String> m = new EnumMap<>(Datastore.class);
        m.putAll(datastores);
        m.put(Objects.requireNonNull(store, "store"), Objects.requireNonNull(version, "version"));
        return new Installation(release, tutor, mode, aspects, customTheme, themeName, plugins, m, customRequirements);
    }

    /**
     * @param custom whether the images carry customisations the official images lack
     * @return a copy
     */
    public Installation withCustomRequirements(boolean custom) {
        return new Installation(release, tutor, mode, aspects, customTheme, themeName, plugins, datastores, custom);
    }
}
