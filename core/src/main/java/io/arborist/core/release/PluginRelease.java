package io.arborist.core.release;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One release of a Tutor plugin package, as declared in its source at that release (see {@link PluginCatalog}).
 *
 * @param name the plugin name, as in {@code tutor plugins enable NAME} (e.g. {@code mfe}, {@code aspects})
 * @param pipPackage the pip project name (e.g. {@code tutor-contrib-aspects})
 * @param version the release version (e.g. {@code 2.4.0})
 * @param pythonRequires the declared {@code python_requires}, empty when none is declared
 * @param installRequires the declared {@code install_requires}, as pip requirement strings
 * @param images the image names it adds to {@code tutor images build}
 * @param pullImages the image names it adds to {@code tutor images pull}
 * @param doJobs the jobs it adds to {@code tutor <mode> do}
 * @param commands the top-level commands it adds ({@code tutor NAME ...})
 * @param initTasks the services its init tasks run in ({@code do init} / {@code init})
 * @param tagged whether the release has a version tag in its repository (false: read at the newest commit that
 *               declares that version, or at a branch tip)
 * @param branch whether it was read at a branch tip (e.g. {@code verawood}) rather than a release
 * @param source repository, tag or commit and the files the facts were read from
 * @since 0.1
 */
public record PluginRelease(String name, String pipPackage, String version, String pythonRequires,
                            List<String> installRequires, Set<String> images, Set<String> pullImages,
                            Set<String> doJobs, Set<String> commands, Set<String> initTasks, boolean tagged,
                            boolean branch, String source) {
    /**
     * Validates and copies all parts.
     *
     * @param name the plugin name, as in {@code tutor plugins enable NAME} (e.g. {@code mfe}, {@code aspects})
     * @param pipPackage the pip project name (e.g. {@code tutor-contrib-aspects})
     * @param version the release version (e.g. {@code 2.4.0})
     * @param pythonRequires the declared {@code python_requires}, empty when none is declared
     * @param installRequires the declared {@code install_requires}, as pip requirement strings
     * @param images the image names it adds to {@code tutor images build}
     * @param pullImages the image names it adds to {@code tutor images pull}
     * @param doJobs the jobs it adds to {@code tutor <mode> do}
     * @param commands the top-level commands it adds ({@code tutor NAME ...})
     * @param initTasks the services its init tasks run in ({@code do init} / {@code init})
     * @param tagged whether the release has a version tag in its repository (false: read at the newest commit that
     *     declares that version, or at a branch tip)
     * @param branch whether it was read at a branch tip (e.g. {@code verawood}) rather than a release
     * @param source repository, tag or commit and the files the facts were read from
     */
    public PluginRelease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipPackage, "pipPackage");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(pythonRequires, "pythonRequires");
        installRequires = List.copyOf(installRequires);
        images = Set.copyOf(images);
        pullImages = Set.copyOf(pullImages);
        doJobs = Set.copyOf(doJobs);
        commands = Set.copyOf(commands);
        initTasks = Set.copyOf(initTasks);
        Objects.requireNonNull(source, "source");
    }

    /** @return the parsed {@code install_requires} */
    public List<PipRequirement> requirements() {
        return installRequires.stream().map(PipRequirement::parse).toList();
    }

    /**
     * @param pipName a project name (any spelling: {@code tutor_mfe} is {@code tutor-mfe})
     * @return this release's requirement on that project, if it declares one
     */
    public Optional<PipRequirement> requirementOn(String pipName) {
        String wanted = PipRequirement.canonical(Objects.requireNonNull(pipName, "pipName"));
        return requirements().stream().filter(r -> r.canonicalName().equals(wanted)).findFirst();
    }

    /** @return {@link #pythonRequires()} as a specifier (any version when none is declared) */
    public VersionSpecifier pythonSpecifier() {
        return VersionSpecifier.parse(pythonRequires);
    }

    @Override
    public String toString() {
        return pipPackage + " " + version;
    }
}
