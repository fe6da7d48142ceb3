package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DumperTest {
    @Test
    void backupStageNeedsMariaDb1041OrLater() {
        assertThat(Dumper.atLeast("10.11.6-MariaDB-0+deb12u1", 10, 4, 1)).isTrue();
        assertThat(Dumper.atLeast("10.4.1-MariaDB", 10, 4, 1)).isTrue();
        assertThat(Dumper.atLeast("10.4.0-MariaDB", 10, 4, 1)).isFalse();
        assertThat(Dumper.atLeast("10.3.39-MariaDB-log", 10, 4, 1)).isFalse();
        assertThat(Dumper.atLeast("5.5.5-10.11.6-MariaDB", 10, 4, 1)).isFalse();
        assertThat(Dumper.atLeast("11.4.2-MariaDB", 10, 4, 1)).isTrue();
        assertThat(Dumper.atLeast("not a version", 10, 4, 1)).isFalse();
    }
}
