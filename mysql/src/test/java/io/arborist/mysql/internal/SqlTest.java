package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void definerClausesAreFoundAndDroppedOnlyAtTheStart() {
        String view = "CREATE ALGORITHM=UNDEFINED DEFINER=`rep``x`@`%` SQL SECURITY DEFINER VIEW `v` AS select 'DEFINER=`a`@`b`' AS `s`";
        assertThat(Sql.definer(view)).isEqualTo("`rep``x`@`%`");
        assertThat(Sql.withoutDefiner(view))
                .isEqualTo("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 'DEFINER=`a`@`b`' AS `s`");
        String trigger = "CREATE DEFINER=`root`@`localhost` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1";
        assertThat(Sql.definer(trigger)).isEqualTo("`root`@`localhost`");
        assertThat(Sql.withoutDefiner(trigger)).isEqualTo("CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1");
        String role = "CREATE DEFINER=`app_role` PROCEDURE `p`() SELECT 1";
        assertThat(Sql.definer(role)).isEqualTo("`app_role`");
        assertThat(Sql.withoutDefiner(role)).isEqualTo("CREATE PROCEDURE `p`() SELECT 1");
        String none = "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET @s = 'DEFINER=`a`@`b`'";
        assertThat(Sql.definer(none)).isEmpty();
        assertThat(Sql.withoutDefiner(none)).isEqualTo(none);
        assertThat(Sql.account("bob", "%")).isEqualTo("`bob`@`%`");
        assertThat(Sql.account("role", "")).isEqualTo("`role`");
    }
}
