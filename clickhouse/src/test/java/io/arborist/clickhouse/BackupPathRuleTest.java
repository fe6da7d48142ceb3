package io.arborist.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupPathRuleTest {
    @Test
    void the_servers_backup_is_recommended_for_large_data_on_servers_that_have_it() {
        assertThat(ClickHouseBackup.serverSideRecommended("24.8.4.13", 100_000_000, 0)).isTrue();
        assertThat(ClickHouseBackup.serverSideRecommended("25.3.1.1", 1_000, 50L << 30)).isTrue();
        assertThat(ClickHouseBackup.serverSideRecommended("22.8.1", 2_000_000_000, 0)).isTrue();
        assertThat(ClickHouseBackup.serverSideRecommended("24.8.4.13", 99_999_999, (50L << 30) - 1)).as("small data streams").isFalse();
        assertThat(ClickHouseBackup.serverSideRecommended("22.7.9", 2_000_000_000, 1L << 40)).as("no BACKUP before 22.8").isFalse();
        assertThat(ClickHouseBackup.serverSideRecommended("18.16.1", 2_000_000_000, 1L << 40)).isFalse();
        assertThat(ClickHouseBackup.PATH_RULE).contains("100 million rows").contains("50 GiB").contains("22.8");
        assertThatThrownBy(() -> ClickHouseBackup.serverSideRecommended(null, 1, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void destinations_render_as_clickhouse_writes_them_and_reject_empty_paths() {
        assertThat(BackupDestination.file("/backups/it's/").sql()).isEqualTo("File('/backups/it\\'s/')");
        assertThat(BackupDestination.disk("backups", "aspects/").sql()).isEqualTo("Disk('backups', 'aspects/')");
        assertThatThrownBy(() -> BackupDestination.file(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
        assertThatThrownBy(() -> BackupDestination.disk("", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
