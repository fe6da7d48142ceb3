package io.arborist.core.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DestinationTest {
    @Test
    void parsesLocalDirectoriesAndS3Prefixes() {
        assertThat(Destination.parse("/backups/edx")).isEqualTo(new Destination.LocalDirectory(Path.of("/backups/edx")));
        assertThat(Destination.parse("relative/dir")).isInstanceOf(Destination.LocalDirectory.class);
        assertThat(Destination.parse("s3://edx-backups/prod/2026")).isEqualTo(new Destination.S3Location("edx-backups", "prod/2026/"));
        assertThat(Destination.parse("s3://edx-backups")).isEqualTo(new Destination.S3Location("edx-backups", ""));
        assertThat(Destination.parse("S3://edx-backups/p/").toString()).isEqualTo("s3://edx-backups/p/");
        assertThat(Destination.parse("s3://b-1/x").resolve("02-lilac/mysql").toString()).isEqualTo("s3://b-1/x/02-lilac/mysql/");
    }

    @Test
    void unknownSchemesAreOneClearErrorNamingTheValue() {
        for (String bad : new String[] {"gs://bucket/x", "ftp://host/dir", "s3:bucket/x", "https://example.org/b", "file:/tmp/x"}) {
            assertThatThrownBy(() -> Destination.parse(bad))
                    .isInstanceOfSatisfying(ArboristException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("s3://BUCKET/PREFIX");
        }
    }

    @Test
    void badBucketsAndTraversalAreRefusedWithoutEchoingUrlCredentials() {
        assertThatThrownBy(() -> Destination.parse("s3://Bad_Bucket/x")).hasMessageContaining("Bad_Bucket");
        assertThatThrownBy(() -> Destination.parse("s3://bucket/../x")).hasMessageContaining("..");
        assertThatThrownBy(() -> Destination.parse("s3://AKIA:topsecret@bucket/x")).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> Destination.parse("  ")).hasMessageContaining("empty");
    }
}
