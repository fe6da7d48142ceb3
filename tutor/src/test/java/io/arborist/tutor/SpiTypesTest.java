package io.arborist.tutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ErrorKind;
import io.arborist.core.spi.Secrets;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core SPI value types as the tutor module relies on them. */
class SpiTypesTest {
    @Test
    void secrets_replace_longest_values_first_and_never_print_themselves() {
        Secrets secrets = Secrets.of("abc", "abcdef", "");

        assertThat(secrets.redact("x=abcdef y=abc")).isEqualTo("x=****** y=******");
        assertThat(secrets.size()).isEqualTo(2);
        assertThat(secrets.toString()).isEqualTo("Secrets[2 values]");
        assertThat(Secrets.of("line one\nline two").redact("got: line two")).isEqualTo("got: ******");
        assertThat(Secrets.NONE.redact("abc")).isEqualTo("abc");
    }

    @Test
    void finds_sensitive_setting_values_in_every_option_form() {
        Secrets found = Secrets.inSettings(List.of("config", "save", "--set", "MYSQL_ROOT_PASSWORD=p1", "-s", "JWT_SECRET=p2",
                "--set=API_TOKEN=p3", "-sSTRIPE_KEY=p4", "--build-arg", "NPM_TOKEN=p5", "--set", "LMS_HOST=visible",
                "--set", "SMTP_PASSWORD=${TUTOR_CONFIG:SMTP_PASSWORD}"));

        assertThat(found).isEqualTo(Secrets.of("p1", "p2", "p3", "p4", "p5"));
        assertThat(Secrets.isSensitiveKey("openedx_secret_key")).isTrue();
        assertThat(Secrets.isSensitiveKey("LMS_HOST")).isFalse();
    }

    @Test
    void redacting_the_head_of_a_cut_line_never_leaves_half_a_secret() {
        Secrets secrets = Secrets.of("SECRETVALUE");
        String line = "0123456789SECRETVALUE-tail";

        assertThat(secrets.redactHead(line, 14)).isEqualTo("0123456789******");
        assertThat(secrets.redactHead(line, 5)).isEqualTo("01234");
        assertThat(secrets.redactHead("short", 100)).isEqualTo("short");
    }

    @Test
    void commands_validate_their_argv_and_hide_secrets_in_to_string() {
        TutorCommand c = TutorCommand.of("tutor", "do", "createuser", "--password", "pw-123", "admin")
                .withSecrets("pw-123").withTimeout(Duration.ofMinutes(2));

        assertThat(c.toString()).isEqualTo("TutorCommand[tutor do createuser --password '******' admin, timeout 2 min]");
        assertThat(c.program()).isEqualTo("tutor");
        assertThat(c.timeout()).contains(Duration.ofMinutes(2));
        assertThatThrownBy(() -> TutorCommand.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a program");
        assertThatThrownBy(() -> TutorCommand.of("tutor", null))
                .isInstanceOf(NullPointerException.class).hasMessage("argv[1]");
        assertThatThrownBy(() -> c.withTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }

    @Test
    void results_show_omitted_output_and_failures_throw_with_a_bounded_message() {
        String big = "h".repeat(4000) + "t".repeat(4000);
        TutorResult failed = new TutorResult(List.of("tutor", "local", "launch"), 1, Duration.ofSeconds(75), big, "END",
                123, false);

        assertThat(failed.output()).contains("[... 123 characters omitted ...]").endsWith("END");
        assertThat(failed.toString()).isEqualTo("TutorResult[tutor local launch exited 1 after 1 min 15 s, "
                + "8126 characters of output]");
        assertThatThrownBy(failed::orThrow)
                .isInstanceOf(TutorCommandException.class)
                .hasMessageStartingWith("`tutor local launch` failed with exit code 1 after 1 min 15 s.")
                .satisfies(e -> {
                    assertThat(e.getMessage().length()).isBetween(5000, 5400);
                    assertThat(((TutorCommandException) e).kind()).isEqualTo(ErrorKind.COMMAND_FAILED);
                    assertThat(((TutorCommandException) e).result()).isSameAs(failed);
                });
        TutorResult ok = TutorResult.of(List.of("tutor"), 0, Duration.ZERO, "fine");
        assertThat(ok.orThrow()).isSameAs(ok);
        assertThatThrownBy(() -> new TutorCommandException(ok)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("succeeded");
    }
}
