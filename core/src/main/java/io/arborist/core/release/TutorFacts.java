package io.arborist.core.release;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one Tutor version declares in its source, as extracted by {@code scripts/extract-tutor-grammar} (see
 * {@link TutorGrammar#facts(TutorVersion)}).
 *
 * @param version the Tutor version
 * @param ref the tag ({@code v21.0.8}) or, for a version without a tag, the branch ({@code verawood})
 * @param branch whether {@link #ref()} is a branch tip rather than a release tag
 * @param commit the commit the facts were read at
 * @param pipPackage the pip project name ({@code tutor-openedx} up to 12.0.1, {@code tutor} from 12.0.2)
 * @param pythonRequires the declared {@code python_requires} (e.g. {@code >=3.9})
 * @param installRequires the declared {@code install_requires}
 * @param fullExtra the requirements of the {@code full} extra (empty before Tutor 13)
 * @param upgradeFrom per mode ({@code local}, {@code dev}, {@code k8s}), the releases {@code upgrade --from} accepts;
 *                    a mode without an {@code upgrade} command is absent
 * @param buildImages the images core {@code tutor images build} knows
 * @param pullImages the images core {@code tutor images pull} knows
 * @param pushImages the images core {@code tutor images push} knows
 * @param unknownImageFails whether {@code images build} fails on an unknown image name (false: skips it silently)
 * @param doJobs the core {@code do} jobs (empty before Tutor 15)
 * @param initLimits the core names {@code init --limit} / {@code do init --limit} accepts besides plugin names
 * @param sources for each fact above, the file(s) of the Tutor repository it was read from
 * @since 0.1
 */
public record TutorFacts(TutorVersion version, String ref, boolean branch, String commit, String pipPackage,
                         String pythonRequires, List<String> installRequires, List<String> fullExtra,
                         Map<String, List<String>> upgradeFrom, Set<String> buildImages, Set<String> pullImages,
                         Set<String> pushImages, boolean unknownImageFails, Set<String> doJobs, Set<String> initLimits,
                         Map<String, String> sources) {
    /**
     * Validates and copies all parts.
     *
     * @param version the Tutor version
     * @param ref the tag ({@code v21.0.8}) or, for a version without a tag, the branch ({@code verawood})
     * @param branch whether {@link #ref()} is a branch tip rather than a release tag
     * @param commit the commit the facts were read at
     * @param pipPackage the pip project name ({@code tutor-openedx} up to 12.0.1, {@code tutor} from 12.0.2)
     * @param pythonRequires the declared {@code python_requires} (e.g. {@code >=3.9})
     * @param installRequires the declared {@code install_requires}
     * @param fullExtra the requirements of the {@code full} extra (empty before Tutor 13)
     * @param upgradeFrom per mode ({@code local}, {@code dev}, {@code k8s}), the releases {@code upgrade --from} accepts;
     *     a mode without an {@code upgrade} command is absent
     * @param buildImages the images core {@code tutor images build} knows
     * @param pullImages the images core {@code tutor images pull} knows
     * @param pushImages the images core {@code tutor images push} knows
     * @param unknownImageFails whether {@code images build} fails on an unknown image name (false: skips it silently)
     * @param doJobs the core {@code do} jobs (empty before Tutor 15)
     * @param initLimits the core names {@code init --limit} / {@code do init --limit} accepts besides plugin names
     * @param sources for each fact above, the file(s) of the Tutor repository it was read from
     */
    public TutorFacts {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(pipPackage, "pipPackage");
        Objects.requireNonNull(pythonRequires, "pythonRequires");
        installRequires = List.copyOf(installRequires);
        fullExtra = List.copyOf(fullExtra);
        upgradeFrom = Map.copyOf(upgradeFrom);
        buildImages = Set.copyOf(buildImages);
        pullImages = Set.copyOf(pullImages);
        pushImages = Set.copyOf(pushImages);
        doJobs = Set.copyOf(doJobs);
        initLimits = Set.copyOf(initLimits);
        sources = Map.copyOf(sources);
    }

    /** @return {@link #pythonRequires()} as a specifier */
    public VersionSpecifier pythonSpecifier() {
        return VersionSpecifier.parse(pythonRequires);
    }
}
