package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
    private static final Readiness FAST = Readiness.within(Duration.ofSeconds(10))
            .withInitialDelay(Duration.ofMillis(5)).withMaxDelay(Duration.ofMillis(40));

    @Test
    void returns_as_soon_as_the_check_succeeds() {
        AtomicInteger calls = new AtomicInteger();

        FAST.await("the third call", () -> calls.incrementAndGet() == 3);

        assertThat(calls).hasValue(3);
    }

    @Test
    void a_check_that_throws_is_not_ready_yet() {
        AtomicInteger calls = new AtomicInteger();

        FAST.await("a flaky ping", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("connection refused");
            }
            return true;
        });

        assertThat(calls).hasValue(3);
    }

    @Test
    void gives_up_at_the_deadline_naming_what_it_waited_for_and_the_last_failure() {
        Readiness readiness = Readiness.within(Duration.ofMillis(400)).withInitialDelay(Duration.ofMillis(10));
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();

        assertThatThrownBy(() -> readiness.await("MySQL to accept connections", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("connection refused on 3306");
        }))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("gave up waiting for MySQL to accept connections")
                .hasMessageContaining("connection refused on 3306")
                .hasMessageContaining("Readiness.within")
                .hasCauseInstanceOf(IllegalStateException.class)
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.TIMEOUT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        assertThat(calls.get()).isGreaterThan(2);
    }

    @Test
    void pauses_grow_exponentially_instead_of_polling_at_a_fixed_rate() {
        List<Long> times = new ArrayList<>();
        Readiness readiness = Readiness.within(Duration.ofMillis(1200))
                .withInitialDelay(Duration.ofMillis(20)).withMaxDelay(Duration.ofMillis(320));

        assertThatThrownBy(() -> readiness.await("never", () -> times.add(System.nanoTime()) && false))
                .isInstanceOf(ArboristException.class);

        // 0, 20, 60, 140, 300, 620, 940, 1200 ms: 8 checks, where a fixed 20 ms rate would make about 60.
        assertThat(times).hasSizeBetween(6, 10);
        long firstGap = times.get(1) - times.get(0);
        long fourthGap = times.get(4) - times.get(3);
        assertThat(fourthGap).isGreaterThan(4 * firstGap / 2);
    }

    @Test
    void polls_a_command_until_it_succeeds(@TempDir Path dir) throws Exception {
        FakeTutor fake = FakeTutor.install(dir);
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_COUNTER", dir.resolve("counter").toString())
                .environment("FAKE_SUCCEED_AT", "3")
                .build();

        TutorResult result = FAST.await("the LMS to pass its checks", runner,
                TutorCommands.exec(DeploymentMode.LOCAL, "lms", "./manage.py", "lms", "check"));

        assertThat(result.succeeded()).isTrue();
        assertThat(fake.argvs()).hasSize(3).containsOnly(List.of("local", "exec", "lms", "./manage.py", "lms", "check"));
    }

    @Test
    void a_command_that_never_succeeds_times_out_with_the_last_result_as_cause(@TempDir Path dir) throws Exception {
        FakeTutor fake = FakeTutor.install(dir);
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_COUNTER", dir.resolve("counter").toString())
                .environment("FAKE_SUCCEED_AT", "1000000")
                .build();
        Readiness readiness = Readiness.within(Duration.ofMillis(500)).withInitialDelay(Duration.ofMillis(20));

        assertThatThrownBy(() -> readiness.await("MySQL to start", runner, TutorCommands.start(DeploymentMode.LOCAL, "mysql")))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("gave up waiting for MySQL to start")
                .hasMessageContaining("not ready yet")
                .satisfies(e -> {
                    assertThat(((ArboristException) e).kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.getCause()).isInstanceOf(TutorCommandException.class);
                    assertThat(((TutorCommandException) e.getCause()).result().exitCode()).isEqualTo(1);
                });
    }

    @Test
    void interruption_while_waiting_restores_the_flag_and_throws_interrupted() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        Thread waiter = new Thread(() -> {
            try {
                Readiness.within(Duration.ofMinutes(1)).withMaxDelay(Duration.ofSeconds(30))
                        .withInitialDelay(Duration.ofSeconds(30))
                        .await("something slow", () -> calls.incrementAndGet() < 0);
            } catch (RuntimeException e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        FAST.await("the first check", () -> calls.get() > 0);

        waiter.interrupt();
        waiter.join(10_000);

        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ArboristException.class)
                .hasMessageContaining("interrupted while waiting for something slow");
        assertThat(((ArboristException) thrown.get()).kind()).isEqualTo(ErrorKind.INTERRUPTED);
        assertThat(flag).isTrue();
    }

    @Test
    void settings_are_validated_with_the_offending_value() {
        assertThatThrownBy(() -> Readiness.within(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> Readiness.defaults().withInitialDelay(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay PT1M must not exceed maxDelay PT10S");
        assertThat(Readiness.within(Duration.ofSeconds(2)).maxDelay()).isEqualTo(Duration.ofSeconds(2));
    }
}
