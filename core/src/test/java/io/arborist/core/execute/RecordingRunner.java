package io.arborist.core.execute;

import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A runner that records every argv and fails the commands a test chooses, a given number of times. */
final class RecordingRunner implements TutorRunner {
    final List<List<String>> ran = new ArrayList<>();
    private Predicate<List<String>> failWhen = argv -> false;
    private int failuresLeft;

    RecordingRunner failOnce(Predicate<List<String>> when) {
        this.failWhen = when;
        this.failuresLeft = 1;
        return this;
    }

    @Override
    public synchronized TutorResult run(TutorCommand command) {
        ran.add(command.argv());
        if (failuresLeft > 0 && failWhen.test(command.argv())) {
            failuresLeft--;
            return TutorResult.of(command.redactedArgv(), 3, Duration.ofMillis(5), "simulated failure");
        }
        return TutorResult.of(command.redactedArgv(), 0, Duration.ofMillis(5), "ok");
    }

    long count(List<String> argv) {
        return ran.stream().filter(argv::equals).count();
    }
}
