package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary standard output and input paths of the runners, through the fake tutor. */
class BinaryStreamsTest {
    private static final String SECRET = "mongo-pw-4d1c9e";
    private static final Path TEST_LOG = Path.of("target", "tutor-tests.log");

    @TempDir
    Path dir;
    FakeTutor fake;
    List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void installFake() throws IOException {
        fake = FakeTutor.install(dir);
    }

    /** Bytes that are not UTF-8: every byte value, NULs, lone CRs and a long run without a newline. */
    private Path binaryFile(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        return Files.write(dir.resolve("payload.bin"), bytes);
    }

    @Test
    void standard_output_reaches_the_stream_byte_for_byte_and_standard_error_stays_text() throws Exception {
        Path payload = binaryFile(3 * 1024 * 1024 + 17);
        ProcessTutorRunner runner = fake.runner()
                .environment("FAKE_STDOUT_FILE", payload.toString())
                .environment("FAKE_STDERR", "dumping with password " + SECRET)
                .environment("FAKE_CFG_MONGODB_PASSWORD", SECRET)
                .listener((source, line) -> heard.add(source + " " + line))
                .build();
        AtomicInteger largestWrite = new AtomicInteger();
        ByteArrayOutputStream received = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                largestWrite.accumulateAndGet(len, Math::max);
                super.write(b, off, len);
            }
        };

        TutorResult result = runner.run(TutorCommand.of("tutor", "local", "exec", "-T", "mongodb", "mongodump",
                "--password=${TUTOR_CONFIG:MONGODB_PASSWORD}"), received);

        assertThat(result.succeeded()).isTrue();
        assertThat(received.toByteArray()).isEqualTo(Files.readAllBytes(payload));
        assertThat(largestWrite.get()).as("bytes are copied through one bounded buffer").isLessThanOrEqualTo(64 * 1024);
        assertThat(heard).containsExactly("STDERR dumping with password ******");
        assertThat(result.output()).isEqualTo("dumping with password ******\n");
        assertThat(result.args()).as("shown with its placeholder").contains("--password=${TUTOR_CONFIG:MONGODB_PASSWORD}");
        assertThat(Files.readString(TEST_LOG, StandardCharsets.UTF_8)).doesNotContain(SECRET);
    }

    @Test
    void a_failing_stream_stops_the_command_and_is_reported() {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_FLOOD_LINES_BYTES", Long.toString(1L << 40)).build();
        AtomicLong written = new AtomicLong();
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written.addAndGet(len) > 1024 * 1024) {
                    throw new IOException("No space left on device");
                }
            }
        };

        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongodump"), full))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("`tutor local exec mongodb mongodump` was stopped with its child processes")
                .hasMessageContaining("writing its standard output failed: No space left on device")
                .extracting(e -> ((ArboristException) e).kind()).isEqualTo(ErrorKind.COMMAND_FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a terabyte was on its way; it was stopped")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void a_command_that_hangs_is_killed_at_its_timeout() {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_SLEEP", "300").build();

        TutorResult result = runner.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongodump")
                .withTimeout(Duration.ofMillis(500)), OutputStream.nullOutputStream());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void standard_input_is_fed_from_the_stream_and_closed() throws Exception {
        Path payload = binaryFile(2 * 1024 * 1024 + 3);
        Path got = dir.resolve("got.bin");
        ProcessTutorRunner runner = fake.runner().environment("FAKE_STDIN_TO", got.toString())
                .environment("FAKE_STDOUT", "restored").listener((source, line) -> heard.add(source + " " + line)).build();

        TutorResult result;
        try (InputStream in = Files.newInputStream(payload)) {
            result = runner.run(TutorCommand.of("tutor", "local", "exec", "-T", "mongodb", "mongorestore"), in);
        }

        assertThat(result.succeeded()).isTrue();
        assertThat(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(got)))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(payload)));
        assertThat(heard).containsExactly("STDOUT restored");
    }

    @Test
    void a_failing_input_stream_stops_the_command_and_is_reported() {
        ProcessTutorRunner runner = fake.runner().environment("FAKE_STDIN_TO", dir.resolve("got.bin").toString()).build();
        InputStream broken = new InputStream() {
            private int reads;

            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads++ > 3) {
                    throw new IOException("Input/output error");
                }
                return len;
            }
        };

        assertThatThrownBy(() -> runner.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongorestore"), broken))
                .isInstanceOf(ArboristException.class)
                .hasMessageContaining("reading the data for its standard input failed: Input/output error");
    }

    @Test
    void the_dry_run_records_the_command_and_writes_only_canned_bytes() {
        DryRunTutorRunner dry = DryRunTutorRunner.builder()
                .respondBytes(List.of("tutor", "local", "exec"), 0, new byte[] {1, 2, 3}).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream none = new ByteArrayOutputStream();

        TutorResult matched = dry.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongodump"), out);
        dry.run(TutorCommand.of("tutor", "k8s", "exec", "mongodb", "mongodump"), none);
        TutorResult fed = dry.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongorestore"),
                InputStream.nullInputStream());

        assertThat(matched.succeeded()).isTrue();
        assertThat(fed.succeeded()).isTrue();
        assertThat(out.toByteArray()).containsExactly(1, 2, 3);
        assertThat(none.toByteArray()).isEmpty();
        assertThat(dry.commands()).hasSize(3);
        assertThat(dry.script()).contains("tutor local exec mongodb mongodump\n");
    }

    @Test
    void a_runner_that_cannot_stream_refuses_clearly() {
        io.arborist.core.spi.TutorRunner textOnly = command -> TutorResult.of(command.redactedArgv(), 0, Duration.ZERO, "");

        assertThatThrownBy(() -> textOnly.run(TutorCommand.of("tutor", "local", "exec", "mongodb", "mongodump"),
                OutputStream.nullOutputStream()))
                .isInstanceOf(ArboristException.class).hasMessageContaining("cannot stream the binary output of `tutor local");
    }
}
