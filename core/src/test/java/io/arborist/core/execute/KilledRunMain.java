package io.arborist.core.execute;

import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;

/**
 * Child-JVM side of {@link KilledRunTest}: runs a plan with a runner that logs each argv durably and hangs on the
 * command named by the third argument, so the parent can kill it with SIGKILL mid-step.
 */
public final class KilledRunMain {
    private KilledRunMain() {
    }

    /** @param args plan file, journal file, command log file, argv (space-joined) to hang on */
    public static void main(String[] args) throws IOException {
        UpgradePlan plan = UpgradePlan.fromJson(Files.readString(Path.of(args[0])));
        Path log = Path.of(args[2]);
        String hangOn = args[3];
        TutorRunner runner = command -> {
            logLine(log, String.join(" ", command.argv()));
            if (String.join(" ", command.argv()).equals(hangOn)) {
                logLine(log, "HANGING");
                try {
                    Thread.sleep(Duration.ofMinutes(10).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return TutorResult.of(command.redactedArgv(), 0, Duration.ofMillis(1), "ok");
        };
        UpgradeExecutor.builder().tutor(runner).journal(UpgradeJournal.file(Path.of(args[1])))
                .backupsTakenByHand(EnumSet.allOf(BackupTarget.class), "killed-run-test")
                .manualSteps(ManualStepHandler.ACCEPT_ALL).build().execute(plan);
    }

    static void logLine(Path log, String line) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
