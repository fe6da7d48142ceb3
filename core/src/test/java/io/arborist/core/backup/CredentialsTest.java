package io.arborist.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    @Test
    void the_password_is_copied_in_and_out_and_never_shown() {
        char[] given = "s3cret-pw".toCharArray();
        Credentials c = Credentials.of("root", given);
        java.util.Arrays.fill(given, 'x');
        char[] out = c.password();
        assertThat(new String(out)).isEqualTo("s3cret-pw");
        out[0] = 'X';
        assertThat(new String(c.password())).isEqualTo("s3cret-pw");
        assertThat(c.toString()).isEqualTo("root (password ******)").doesNotContain("s3cret");
        assertThat(Credentials.withoutPassword("default").toString()).isEqualTo("default (no password)");
    }

    @Test
    void closing_clears_the_password_and_copies_are_independent() {
        Credentials c = Credentials.of("root", "pw".toCharArray());
        Credentials copy = c.copy();
        c.close();
        assertThatThrownBy(c::password).isInstanceOf(IllegalStateException.class).hasMessageContaining("'root'").hasMessageNotContaining("pw'");
        assertThat(c.toString()).isEqualTo("root (closed)");
        assertThat(new String(copy.password())).isEqualTo("pw");
        c.close();
    }

    @Test
    void a_blank_user_is_refused() {
        assertThatThrownBy(() -> Credentials.of(" ", new char[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> Credentials.of("a\nb", new char[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
