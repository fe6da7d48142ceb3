package io.arborist.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arborist.core.backup.Credentials;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** URLs with credentials are refused, and no URL is ever echoed past its scheme and hosts. */
class UrlTest {
    private static final String SECRET = "pw-S3cr3t";

    private static final List<Consumer<String>> USES = List.of(
            url -> MySqlBackup.using(url, Credentials.of("root", new char[0])),
            url -> MySqlRestore.using(url, Credentials.of("root", new char[0])),
            url -> LearnerSnapshot.of(url, Credentials.of("root", new char[0]), "edxapp"));

    private static void assertRefused(String url, String... expected) {
        for (Consumer<String> use : USES) {
            Throwable e = catchThrowable(() -> use.accept(url));
            assertThat(e).as(url).isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(expected);
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("alice").doesNotContain("edxapp");
        }
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutEchoingThem() {
        assertRefused("jdbc:mysql://alice:" + SECRET + "@127.0.0.1:3306/edxapp", "jdbc:mysql://127.0.0.1:3306", "carries credentials");
        assertRefused("jdbc:mysql://alice@db.example.org", "jdbc:mysql://db.example.org", "carries credentials");
        assertRefused("jdbc:mysql://127.0.0.1:3306/edxapp?password=" + SECRET, "carries credentials (option password)");
        assertRefused("jdbc:mysql://127.0.0.1:3306?connectTimeout=5&PASSWORD1=" + SECRET, "carries credentials (option PASSWORD1)");
        assertRefused("jdbc:mysql://127.0.0.1:3306?user=alice", "carries credentials (option user)");
    }

    @Test
    void optionsArboristSetsAndMalformedUrlsAreRefusedWithoutEchoingThem() {
        assertRefused("jdbc:mysql://127.0.0.1:3306?allowLoadLocalInfile=true", "sets allowLoadLocalInfile, which Arborist sets itself");
        assertRefused("jdbc:mysql://127.0.0.1:3306?sslMode=DISABLED", "sets sslMode");
        assertRefused("jdbc:mysql://127.0.0.1:3306?allowMultiQueries=true", "sets allowMultiQueries");
        assertRefused("jdbc:mysql://(host=127.0.0.1,password=" + SECRET + ")/x", "malformed", "not shown");
        assertRefused("jdbc:mysql://127.0.0.1:3306:" + SECRET, "malformed", "not shown");
        assertRefused("mysql://alice:" + SECRET + "@127.0.0.1", "must start with jdbc:mysql://", "not shown");
        assertRefused("jdbc:mysql://127.0.0.1:3306?x y=" + SECRET, "malformed option");
    }

    @Test
    void aGoodUrlIsDescribedByItsHostsOnly() {
        assertThat(MySqlBackup.using("jdbc:mysql://127.0.0.1:3306/edxapp?connectTimeout=5000", Credentials.of("root", new char[0])).build().toString())
                .contains("jdbc:mysql://127.0.0.1:3306 as root").doesNotContain("connectTimeout");
        assertThat(MySqlRestore.using("jdbc:mysql://[::1]:3306,db2.example.org", Credentials.of("root", SECRET.toCharArray())).build().toString())
                .contains("jdbc:mysql://[::1]:3306,db2.example.org as root").doesNotContain(SECRET);
    }
}
