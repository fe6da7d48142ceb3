package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTutorRunnerLimitsTest {
    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @TempDir
    Path dir;
    FakeTutor fake;

    @BeforeEach
    void installFake() throws IOException {
        fake = FakeTutor.install(dir);
    }

    @Test
    void a_timeout_kills_the_whole_process_tree_and_is_reported_in_the_result() throws IOException {
        Path pidFile = dir.resolve("grandchild.pid");
        ProcessTutorRunner runner = fake.runner().environment("FAKE_CHILD_PIDFILE", pidFile.toString()).build();
        TutorCommand command = TutorCommands.doInit(DeploymentMode.LOCAL).withTimeout(Duration.ofMillis(700));

        long start = System.nanoTime();
        TutorResult result = runner.run(command);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        long grandchild = Processes.readPid(pidFile);
        try {
            assertThat(result.timedOut()).isTrue();
            assertThat(result.succeeded()).isFalse();
            assertThat(result.took()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(elapsed).as("the fake's children sleep 300 s; the runner must not wait for them")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(Processes.isGone(grandchild)).as("grandchild %d is gone", grandchild).isTrue();
            assertThatThrownBy(result::orThrow)
                    .isInstanceOf(TutorCommandException.class)
                    .hasMessageContaining("`tutor local do init` timed out after")
                    .hasMessageContaining("withTimeout")
                    .extracting(e -> ((TutorCommandException) e).kind()).isEqualTo(ErrorKind.TIMEOUT);
        } finally {
            Processes.killQuietly(grandchild);
        }
    }

    @Test
    void the_runner_default_timeout_applies_when_the_command_has_none() {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_SLEEP", "30").timeout(Duration.ofMillis(300)).build();

        TutorResult result = runner.run(TutorCommands.configSave());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void interruption_destroys_the_tree_restores_the_flag_and_throws_interrupted() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        ProcessTutorRunner runner = fake.runner().environment("FAKE_CHILD_PIDFILE", pidFile.toString()).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfterwards = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                runner.run(TutorCommands.launch(DeploymentMode.LOCAL, true));
            } catch (RuntimeException e) {
                thrown.set(e);
                flagAfterwards.set(Thread.currentThread().isInterrupted());
            }
        });
        worker.start();
        Readiness.within(Duration.ofSeconds(10)).withInitialDelay(Duration.ofMillis(10))
                .await("the fake to start its child", () -> Files.exists(pidFile));
        long grandchild = Processes.readPid(pidFile);

        long start = System.nanoTime();
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(20));

        try {
            assertThat(worker.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(thrown.get()).isInstanceOf(ArboristException.class)
                    .hasMessageContaining("interrupted while running `tutor local launch -I`");
            assertThat(((ArboristException) thrown.get()).kind()).isEqualTo(ErrorKind.INTERRUPTED);
            assertThat(thrown.get()).hasCauseInstanceOf(InterruptedException.class);
            assertThat(flagAfterwards).as("interrupt flag restored").isTrue();
            assertThat(Processes.isGone(grandchild)).as("grandchild %d is gone", grandchild).isTrue();
        } finally {
            Processes.killQuietly(grandchild);
        }
    }

    @Test
    void returns_when_the_process_exits_although_a_background_child_keeps_the_pipes_open() throws IOException {
        Path pidFile = dir.resolve("daemon.pid");
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_DAEMON_PIDFILE", pidFile.toString())
                .environment("FAKE_STDOUT", "before the daemon")
                .build();

        long start = System.nanoTime();
        TutorResult result = runner.run(TutorCommands.start(DeploymentMode.LOCAL));

        Processes.killQuietly(Processes.readPid(pidFile));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.output()).isEqualTo("before the daemon\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void fifty_megabytes_of_short_lines_keep_only_a_bounded_head_and_tail() {
        AtomicLong lines = new AtomicLong();
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_FLOOD_LINES_BYTES", Long.toString(FIFTY_MB))
                .listener((source, line) -> lines.incrementAndGet())
                .build();

        TutorResult result = runner.runChecked(TutorCommands.imagesBuild(java.util.List.of("all"), false, java.util.Map.of()));

        int limit = 64 * 1024;
        String line = "flood line: the quick brown fox jumps over the lazy dog\n";
        assertThat(result.outputHead()).hasSize(limit).startsWith(line + line);
        assertThat(result.outputTail()).hasSize(limit);
        assertThat(result.outputHead().length() + result.outputTail().length() + result.omittedChars())
                .as("every character is accounted for (plus the newline ending the last, partial line)")
                .isEqualTo(FIFTY_MB + 1);
        assertThat(lines.get()).isEqualTo(FIFTY_MB / line.length() + 1);
        assertThat(result.output()).contains("characters omitted");
    }

    @Test
    void fifty_megabytes_in_megabyte_lines_are_cut_per_line_and_bounded() {
        AtomicInteger lines = new AtomicInteger();
        AtomicInteger longest = new AtomicInteger();
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_FLOOD_LONG_BYTES", Long.toString(FIFTY_MB))
                .environment("FAKE_FLOOD_WIDTH", Integer.toString(1024 * 1024))
                .outputLimit(4096)
                .listener((source, line) -> {
                    lines.incrementAndGet();
                    longest.accumulateAndGet(line.length(), Math::max);
                })
                .build();

        TutorResult result = runner.runChecked(TutorCommands.imagesBuild(java.util.List.of("all"), false, java.util.Map.of()));

        assertThat(lines.get()).isEqualTo(50);
        assertThat(longest.get()).as("lines are cut at the limit plus a short marker").isBetween(4096, 4096 + 60);
        assertThat(result.outputHead()).hasSize(4096).matches("x+");
        assertThat(result.outputTail()).hasSize(4096).endsWith("characters cut]\n");
        assertThat(result.omittedChars()).isGreaterThan(FIFTY_MB - 2 * 4096 * 50);
    }

    @Test
    void concurrent_commands_on_one_runner_do_not_mix_their_output() throws Exception {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_ECHO", "1").build();

        CompletableFuture<TutorResult> a = CompletableFuture.supplyAsync(() -> runner.run(TutorCommand.of("tutor", "first")));
        CompletableFuture<TutorResult> b = CompletableFuture.supplyAsync(() -> runner.run(TutorCommand.of("tutor", "second")));

        assertThat(a.get(30, TimeUnit.SECONDS).output()).isEqualTo("arg: first\n");
        assertThat(b.get(30, TimeUnit.SECONDS).output()).isEqualTo("arg: second\n");
    }
}
