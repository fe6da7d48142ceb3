package io.arborist.core.backup.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void hands_over_every_byte_in_order_across_chunks() throws IOException {
        byte[] data = new byte[(5 << 20) + 12_345];
        new Random(7).nextBytes(data);
        try (InputStream in = new ReadAhead(new ByteArrayInputStream(data), "test-read")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_failure_of_the_source_reaches_the_reader_and_the_source_is_closed() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream failing = new InputStream() {
            private int left = 3 << 20;

            @Override
            public int read() throws IOException {
                if (left-- == 0) {
                    throw new IOException("disk read error at 3 MiB");
                }
                return 1;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        assertThatThrownBy(() -> {
            try (InputStream in = new ReadAhead(failing, "test-read")) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("disk read error at 3 MiB");
        assertThat(closed).isTrue();
    }
}
