package io.arborist.tutor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretShapesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // KEY=value: to the next blank, or a quoted string
        "MYSQL_ROOT_PASSWORD=hunter2 started          | MYSQL_ROOT_PASSWORD=****** started",
        "docker run -e MYSQL_ROOT_PASSWORD=a,b;c -d   | docker run -e MYSQL_ROOT_PASSWORD=****** -d",
        "export api_key=\"two words\" now              | export api_key=\"******\" now",
        "--build-arg=SECRET_KEY=abc                   | --build-arg=SECRET_KEY=******",
        "--password=xyz123                            | --password=******",
        "https://h/cb?token=abc&x=1 done              | https://h/cb?token=****** done",
        // KEY: value: to the end of the line
        "MYSQL_ROOT_PASSWORD: hunter2 with spaces     | MYSQL_ROOT_PASSWORD: ******",
        "  openedx_secret_key: 'abc' # generated      | `  openedx_secret_key: '******' # generated`",
        "JWT: {token: abc, exp: 1} after              | JWT: {token: ******",
        "tokens: [abc, def] tail                      | tokens: ****** tail",
        // "key": value in JSON and Python reprs
        "{\"SECRET_KEY\": \"s3\\\"cr3t\", \"LMS_HOST\": \"x\"} | {\"SECRET_KEY\": \"******\", \"LMS_HOST\": \"x\"}",
        "{'password': 'abc', 'user': 'root'}          | {'password': '******', 'user': 'root'}",
        "{\"api_key\":12345,\"n\":1}                   | {\"api_key\":******,\"n\":1}",
        "{\"secrets\": [\"a\", \"b\"], \"n\": 1}       | {\"secrets\": ******, \"n\": 1}",
        "{\"token\": \"unterminated                    | {\"token\": \"******",
        // left alone: other keys, pins, exception names, placeholders, masks, empty values
        "LMS_HOST=learn.example.com                   | LMS_HOST=learn.example.com",
        "pip install tutor-keycloak==1.0              | pip install tutor-keycloak==1.0",
        "KeyError: 'MYSQL_ROOT_PASSWORD'              | KeyError: 'MYSQL_ROOT_PASSWORD'",
        "--password=${TUTOR_CONFIG:MYSQL_ROOT_PASSWORD} | --password=${TUTOR_CONFIG:MYSQL_ROOT_PASSWORD}",
        "MYSQL_ROOT_PASSWORD=******                   | MYSQL_ROOT_PASSWORD=******",
        "MYSQL_ROOT_PASSWORD=                         | MYSQL_ROOT_PASSWORD=",
        "see key:value or PASSWORD:x                  | see key:value or PASSWORD:x",
        "monkey=banana                                | monkey=******",
    })
    void masks_the_value_of_secret_looking_settings(String line, String expected) {
        assertThat(SecretShapes.mask(line.strip())).isEqualTo(expected.strip());
    }

    @org.junit.jupiter.api.Test
    void a_colon_value_ends_at_the_line_end() {
        assertThat(SecretShapes.mask("MYSQL_ROOT_PASSWORD: a b\r\nLMS_HOST: b\nSECRET: 'x\ny'"))
                .isEqualTo("MYSQL_ROOT_PASSWORD: ******\r\nLMS_HOST: b\nSECRET: '******\ny'");
    }

    @org.junit.jupiter.api.Test
    void long_lines_without_settings_are_scanned_in_linear_time() {
        String run = "x".repeat(1 << 20);
        long start = System.nanoTime();
        assertThat(SecretShapes.mask(run + " " + run.replace('x', '=') + " " + "ab:".repeat(100_000))).hasSize(2 * (1 << 20) + 2 + 300_000);
        assertThat(System.nanoTime() - start).as("nanoseconds for 2.3 M characters").isLessThan(5_000_000_000L);
    }
}
