package io.arborist.tutor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fake {@code tutor} (and {@code pip}): a POSIX sh script written into a test directory. It records every call
 * (its program name, then each argument, NUL-terminated, then an end marker) and behaves as the {@code FAKE_*}
 * environment variables say, which tests set through the runner's environment overlay:
 * <ul>
 *   <li>{@code FAKE_ECHO}: print each argument as {@code arg: VALUE}; {@code FAKE_STDOUT}/{@code FAKE_STDERR}: print
 *       a line; {@code FAKE_UTF8}: print {@code café ✓} as raw UTF-8 bytes; {@code FAKE_PWD}, {@code FAKE_SHOW_ENV}:
 *       print the working directory or a variable</li>
 *   <li>{@code FAKE_FLOOD_LINES_BYTES}: print that many bytes of short lines; {@code FAKE_FLOOD_LONG_BYTES} with
 *       {@code FAKE_FLOOD_WIDTH}: that many bytes in lines of that width</li>
 *   <li>{@code FAKE_CHILD_PIDFILE}: start a {@code sleep 300} child, write its pid, wait for it;
 *       {@code FAKE_DAEMON_PIDFILE}: the same but exit at once, leaving the child holding the pipes</li>
 *   <li>{@code FAKE_STDIN_TO}: copy standard input into that file; {@code FAKE_STDOUT_FILE}: copy that file's bytes to
 *       standard output, only the first {@code FAKE_STDOUT_HEAD} bytes when that is set</li>
 *   <li>{@code --version} prints {@code tutor, version FAKE_VERSION} (default 21.0.8)</li>
 *   <li>{@code FAKE_COUNTER} with {@code FAKE_SUCCEED_AT}: fail until called that many times</li>
 *   <li>{@code FAKE_SLEEP}: sleep that many seconds; {@code FAKE_EXIT}: the exit code</li>
 *   <li>{@code config printroot} prints {@code FAKE_ROOT}; {@code config printvalue KEY} prints {@code FAKE_CFG_KEY}
 *       or fails like Tutor when it is not set</li>
 * </ul>
 */
final class FakeTutor {
    static final String END = "--END--";

    private static final String SCRIPT = """
            #!/bin/sh
            if [ -n "${FAKE_LOG:-}" ]; then
              { printf '%s\\0' "$(basename "$0")"; for a in "$@"; do printf '%s\\0' "$a"; done; printf '%s\\0' '--END--'; } >> "$FAKE_LOG"
            fi
            if [ "${1:-}" = --version ]; then printf 'tutor, version %s\n' "${FAKE_VERSION:-21.0.8}"; exit 0; fi
            if [ "${1:-}" = config ] && [ "${2:-}" = printroot ]; then
              printf '%s\\n' "${FAKE_ROOT:-/fake/root}"; exit 0
            fi
            if [ "${1:-}" = config ] && [ "${2:-}" = printvalue ]; then
              printenv "FAKE_CFG_$3" || { echo "Error: Missing configuration value: '$3'" >&2; exit 1; }
              exit 0
            fi
            if [ -n "${FAKE_ECHO:-}" ]; then for a in "$@"; do printf 'arg: %s\\n' "$a"; done; fi
            if [ -n "${FAKE_STDOUT:-}" ]; then printf '%s\\n' "$FAKE_STDOUT"; fi
            if [ -n "${FAKE_STDERR:-}" ]; then printf '%s\\n' "$FAKE_STDERR" >&2; fi
            if [ -n "${FAKE_STDIN_TO:-}" ]; then cat > "$FAKE_STDIN_TO"; fi
            if [ -n "${FAKE_STDOUT_FILE:-}" ] && [ -n "${FAKE_STDOUT_HEAD:-}" ]; then head -c "$FAKE_STDOUT_HEAD" "$FAKE_STDOUT_FILE"
            elif [ -n "${FAKE_STDOUT_FILE:-}" ]; then cat "$FAKE_STDOUT_FILE"; fi
            if [ -n "${FAKE_UTF8:-}" ]; then printf 'caf\\303\\251 \\342\\234\\223\\n'; fi
            if [ -n "${FAKE_PWD:-}" ]; then printf 'pwd=%s\\n' "$(pwd)"; fi
            if [ -n "${FAKE_SHOW_ENV:-}" ]; then printf 'env %s=%s\\n' "$FAKE_SHOW_ENV" "$(printenv "$FAKE_SHOW_ENV")"; fi
            if [ -n "${FAKE_FLOOD_LINES_BYTES:-}" ]; then
              yes 'flood line: the quick brown fox jumps over the lazy dog' | head -c "$FAKE_FLOOD_LINES_BYTES"
            fi
            if [ -n "${FAKE_FLOOD_LONG_BYTES:-}" ]; then
              head -c "$FAKE_FLOOD_LONG_BYTES" /dev/zero | tr '\\000' 'x' | fold -w "${FAKE_FLOOD_WIDTH:-1048576}"
            fi
            if [ -n "${FAKE_COUNTER:-}" ]; then
              n=$(cat "$FAKE_COUNTER" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$FAKE_COUNTER"
              if [ "$n" -lt "${FAKE_SUCCEED_AT:-1}" ]; then echo "not ready yet (call $n)" >&2; exit 1; fi
            fi
            if [ -n "${FAKE_CHILD_PIDFILE:-}" ]; then
              sleep 300 & echo $! > "$FAKE_CHILD_PIDFILE.tmp"; mv "$FAKE_CHILD_PIDFILE.tmp" "$FAKE_CHILD_PIDFILE"; wait
            fi
            if [ -n "${FAKE_DAEMON_PIDFILE:-}" ]; then
              sleep 300 & echo $! > "$FAKE_DAEMON_PIDFILE"
            fi
            if [ -n "${FAKE_SLEEP:-}" ]; then sleep "$FAKE_SLEEP"; fi
            exit "${FAKE_EXIT:-0}"
            """;

    /** One recorded call. */
    record Call(String program, List<String> args) {
    }

    private final Path dir;

    private FakeTutor(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes {@code tutor} and {@code pip} into {@code dir}, and the same script as {@code mongodump},
     * {@code mongorestore} and {@code mongosh} for an external MongoDB found on the PATH.
     */
    static FakeTutor install(Path dir) throws IOException {
        for (String name : List.of("tutor", "pip", "mongodump", "mongorestore", "mongosh")) {
            Path p = dir.resolve(name);
            Files.writeString(p, SCRIPT, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new FakeTutor(dir);
    }

    Path dir() {
        return dir;
    }

    Path executable() {
        return dir.resolve("tutor");
    }

    Path log() {
        return dir.resolve("calls.log");
    }

    /** A runner using the fake for tutor and pip, recording calls, with short timeouts for tests. */
    ProcessTutorRunner.Builder runner() {
        return ProcessTutorRunner.builder()
                .executable(executable())
                .pipExecutable(dir.resolve("pip"))
                .environment("FAKE_LOG", log().toString())
                .timeout(Duration.ofSeconds(60))
                .killGrace(Duration.ofSeconds(2));
    }

    /** Every call recorded so far, in order. */
    List<Call> calls() throws IOException {
        if (!Files.exists(log())) {
            return List.of();
        }
        String text = Files.readString(log(), StandardCharsets.UTF_8);
        List<Call> calls = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String field : Arrays.asList(text.split("\0", -1))) {
            if (field.equals(END)) {
                calls.add(new Call(current.get(0), List.copyOf(current.subList(1, current.size()))));
                current.clear();
            } else if (!field.isEmpty() || !current.isEmpty()) {
                current.add(field);
            }
        }
        return calls;
    }

    /** The arguments of every call, program names dropped. */
    List<List<String>> argvs() throws IOException {
        return calls().stream().map(Call::args).toList();
    }
}
