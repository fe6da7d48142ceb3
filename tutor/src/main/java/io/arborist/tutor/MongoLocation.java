package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.MongoCommands;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** What the MongoDB backup and restore are told, or ask Tutor, about where MongoDB is. */
record MongoLocation(DeploymentMode mode, Optional<Boolean> external, Optional<TutorVersion> tutor, Optional<Duration> timeout) {
    static MongoLocation defaults() {
        return new MongoLocation(DeploymentMode.LOCAL, Optional.empty(), Optional.empty(), Optional.empty());
    }

    MongoLocation withMode(DeploymentMode m) {
        return new MongoLocation(java.util.Objects.requireNonNull(m, "mode"), external, tutor, timeout);
    }

    MongoLocation withExternal(boolean ext) {
        return new MongoLocation(mode, Optional.of(ext), tutor, timeout);
    }

    MongoLocation withTutor(TutorVersion version) {
        return new MongoLocation(mode, external, Optional.of(java.util.Objects.requireNonNull(version, "version")), timeout);
    }

    MongoLocation withTimeout(Duration t) {
        java.util.Objects.requireNonNull(t, "timeout");
        if (t.isZero() || t.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + t);
        }
        return new MongoLocation(mode, external, tutor, Optional.of(t));
    }

    /** Asks Tutor what was not given: {@code RUN_MONGODB}, and the Tutor version where it matters. */
    MongoCommands.Setup resolve(TutorRunner runner) {
        boolean ext = external.orElseGet(() -> !runMongoDb(runner));
        Optional<TutorVersion> version = tutor;
        if (version.isEmpty() && (ext || mode == DeploymentMode.K8S)) {
            version = Optional.of(installedTutor(runner));
        }
        return new MongoCommands.Setup(mode, ext, version);
    }

    TutorCommand command(java.util.List<String> argv) {
        TutorCommand c = TutorCommand.of(argv);
        return timeout.map(c::withTimeout).orElse(c);
    }

    private static boolean runMongoDb(TutorRunner runner) {
        TutorCommand ask = TutorCommands.configPrintValue("RUN_MONGODB");
        String value;
        try {
            value = runner.runChecked(ask).output().strip().toLowerCase(Locale.ROOT);
        } catch (TutorCommandException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot tell whether Tutor runs MongoDB: `"
                    + ask.commandLine() + "` failed (Tutor before 11 has no RUN_MONGODB). Say it with external(false) or"
                    + " external(true) on the MongoDB backup's builder.", e);
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot tell whether Tutor runs MongoDB: `" + ask.commandLine()
                    + "` printed something other than true or false. Say it with external(false) or external(true) on the"
                    + " MongoDB backup's builder.");
        }
        return value.equals("true");
    }

    private static TutorVersion installedTutor(TutorRunner runner) {
        TutorCommand ask = TutorCommand.of("tutor", "--version");
        try {
            return MongoCommands.parseVersion(runner.runChecked(ask).output());
        } catch (IllegalArgumentException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "cannot tell which Tutor is installed: `tutor --version`"
                    + " printed no version. Give it with tutorVersion(..) on the MongoDB backup's builder.", e);
        }
    }
}
