package io.arborist.mysql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The escaping writer against a byte-by-byte reference, and the deferred-index split. */
class RowWriterTest {
    private static byte[] reference(byte[] v, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = off; i < off + len; i++) {
            int b = v[i] & 0xff;
            switch (b) {
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case 0 -> out.writeBytes(new byte[] {'\\', '0'});
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }

    @Test
    void escapesLikeTheByteByByteReference() throws Exception {
        Random r = new Random(42);
        byte[] specials = {0, '\t', '\n', '\r', '\\', 'a', (byte) 0xC3, (byte) 0x80, ' ',
                1, 8, 0x0B, 0x0C, 0x0E, '[', ']', (byte) 0xDC}; // the last line: near misses of the word-wise check
        for (int round = 0; round < 2000; round++) {
            int len = round < 1000 ? r.nextInt(40) : r.nextInt(200_000);
            byte[] v = new byte[len + 3];
            double density = r.nextDouble();
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextDouble() < density ? specials[r.nextInt(specials.length)] : (byte) r.nextInt(256);
            }
            int off = Math.min(r.nextInt(4), v.length);
            int n = Math.min(len, v.length - off);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RowWriter w = new RowWriter(out);
            w.writeText(new byte[] {'x'});
            w.writeText(v, off, n);
            w.flush();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write('x');
            expected.writeBytes(reference(v, off, n));
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(w.bytes()).isEqualTo(expected.size());
        }
    }

    @Test
    void defersSecondaryIndexesAndForeignKeys() {
        String ddl = "CREATE TABLE `e` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `u` int(11) NOT NULL,\n  `c` varchar(9) NOT NULL,\n"
                + "  PRIMARY KEY (`id`),\n  UNIQUE KEY `u` (`u`,`c`),\n  KEY `c``x` (`c`(4)),\n  FULLTEXT KEY `ft` (`c`),\n"
                + "  CONSTRAINT `fk` FOREIGN KEY (`u`) REFERENCES `p` (`id`),\n  CONSTRAINT `chk` CHECK (`u` > 0)\n"
                + ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4";
        DeferredIndexes d = DeferredIndexes.split(ddl);
        assertThat(d.create()).isEqualTo("CREATE TABLE `e` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `u` int(11) NOT NULL,\n"
                + "  `c` varchar(9) NOT NULL,\n  PRIMARY KEY (`id`),\n  FULLTEXT KEY `ft` (`c`),\n  CONSTRAINT `chk` CHECK (`u` > 0)\n"
                + ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4");
        assertThat(d.clauses()).containsExactly("ADD UNIQUE KEY `u` (`u`,`c`)", "ADD KEY `c``x` (`c`(4))",
                "ADD CONSTRAINT `fk` FOREIGN KEY (`u`) REFERENCES `p` (`id`)");
        // no primary key, another engine, or a key led by the AUTO_INCREMENT column: kept as they are
        assertThat(DeferredIndexes.split(ddl.replace("  PRIMARY KEY (`id`),\n", "")).clauses()).isEmpty();
        assertThat(DeferredIndexes.split(ddl.replace("InnoDB", "MyISAM")).clauses()).isEmpty();
        String ai = "CREATE TABLE `a` (\n  `k` int(11) NOT NULL,\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`k`),\n"
                + "  KEY `id` (`id`)\n) ENGINE=InnoDB";
        assertThat(DeferredIndexes.split(ai).clauses()).isEmpty();
    }
}
