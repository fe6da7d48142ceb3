package io.arborist.mysql.internal;

import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.result.AbstractBufferRow;
import com.mysql.cj.protocol.a.result.NativeResultset;
import com.mysql.cj.protocol.a.result.TextBufferRow;
import com.mysql.cj.result.Field;
import com.mysql.cj.result.Row;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * Copies the rows of a dumping SELECT ({@link Sql#selectChunk}: the dumped columns) into a {@link RowWriter} (or, with
 * no writer, only reads them, to verify a restored table) and returns each row's {@link RowHasher client-side hash},
 * computed over the values exactly as the server returned them.
 *
 * <p>With Connector/J's text protocol, a row arrives as one packet of length-encoded values; when the driver keeps it as
 * a {@link TextBufferRow}, the values are read straight from that packet in one pass (no {@code byte[]} per field, no
 * per-column seek, no per-call connection lock as {@link ResultSet#getBytes(int)} takes); streaming results always
 * keep rows so. Any other row, or a driver whose internals are not as expected (another driver or version), is read
 * through {@code getBytes}. Every column must be a string or binary type on the wire, which {@link Sql#selectExpr}
 * ensures, so that both paths see the same bytes. Not thread-safe.
 */
final class RowCopier {
    /** MySQL protocol type ids of string and binary values, whose text-protocol bytes {@code getBytes} returns as they are. */
    private static final Set<Integer> BYTE_TYPES = Set.of(15, 245, 247, 248, 249, 250, 251, 252, 253, 254, 255);
    private static final VarHandle THIS_ROW = thisRowHandle();
    private static final VarHandle ROW_PACKET = bufferRowHandle("rowFromServer", NativePacketPayload.class);
    private static final VarHandle ROW_START = bufferRowHandle("homePosition", int.class);
    /** The length-encoded integer's first byte that marks NULL, and the one that never starts a value. */
    private static final int NULL_MARK = 0xfb;
    private static final int BAD_MARK = 0xff;

    private final ResultSet rs;
    private final NativeResultset nrs;
    private final RowWriter w;
    private final boolean[] hex;
    private final int n;
    private final RowHasher hasher = new RowHasher();
    private long packetRows;

    /**
     * @param rs the dumping query's result
     * @param w where the rows go, or null to hash them only
     * @param hex per column, whether it is written as hexadecimal
     */
    RowCopier(ResultSet rs, RowWriter w, boolean[] hex) {
        this(rs, w, hex, true);
    }

    /** @param allowDirect false to always read through {@code getBytes} (tests compare both paths) */
    RowCopier(ResultSet rs, RowWriter w, boolean[] hex, boolean allowDirect) {
        this.rs = rs;
        this.w = w;
        this.hex = hex;
        this.n = hex.length;
        this.nrs = allowDirect ? fastPath(rs, n) : null;
    }

    private static VarHandle thisRowHandle() {
        try {
            return MethodHandles.privateLookupIn(NativeResultset.class, MethodHandles.lookup())
                    .findVarHandle(NativeResultset.class, "thisRow", Row.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static VarHandle bufferRowHandle(String field, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(AbstractBufferRow.class, MethodHandles.lookup())
                    .findVarHandle(AbstractBufferRow.class, field, type);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static NativeResultset fastPath(ResultSet rs, int columns) {
        try {
            if (THIS_ROW == null || ROW_PACKET == null || ROW_START == null || !rs.isWrapperFor(NativeResultset.class)) {
                return null;
            }
            NativeResultset r = rs.unwrap(NativeResultset.class);
            Field[] fields = r.getColumnDefinition().getFields();
            if (fields.length != columns) {
                return null;
            }
            for (Field f : fields) {
                if (!BYTE_TYPES.contains(f.getMysqlTypeId())) {
                    return null;
                }
            }
            return r;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** @return whether values are read from the driver's buffer (false: through getBytes) */
    boolean direct() {
        return nrs != null;
    }

    /** @return how many rows were read straight from their packet so far */
    long packetRows() {
        return packetRows;
    }

    /** Writes the current row (after {@code rs.next()}, unless there is no writer) and returns its hash. */
    long copyRow() throws SQLException, IOException {
        if (nrs == null) {
            return copyRowSlow();
        }
        Row row = (Row) THIS_ROW.get(nrs);
        if (!(row instanceof TextBufferRow)) {
            return copyRowSlow();
        }
        NativePacketPayload packet = (NativePacketPayload) ROW_PACKET.get(row);
        packetRows++;
        return copyPacket(packet.getByteBuffer(), (int) ROW_START.get(row), packet.getPayloadLength());
    }

    /** Reads the row's {@code n} length-encoded values from {@code b[pos..end)}, writes and hashes them. */
    private long copyPacket(byte[] b, int pos, int end) throws SQLException, IOException {
        for (int i = 0; i < n; i++) {
            if (pos >= end) {
                throw truncated(i);
            }
            int first = b[pos++] & 0xff;
            long len;
            if (first < NULL_MARK) {
                len = first;
            } else if (first == NULL_MARK) {
                hasher.addNull();
                if (w != null) {
                    w.writeNull();
                    if (i < n - 1) {
                        w.fieldEnd();
                    }
                }
                continue;
            } else if (first == BAD_MARK || pos + (first == 0xfc ? 2 : first == 0xfd ? 3 : 8) > end) {
                throw truncated(i);
            } else if (first == 0xfc) {
                len = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
                pos += 2;
            } else if (first == 0xfd) {
                len = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16;
                pos += 3;
            } else {
                len = 0;
                for (int k = 7; k >= 0; k--) {
                    len = len << 8 | (b[pos + k] & 0xff);
                }
                pos += 8;
            }
            if (len > end - pos) {
                throw truncated(i);
            }
            int l = (int) len;
            hasher.add(b, pos, l);
            if (w != null) {
                if (hex[i]) {
                    w.writeHex(b, pos, l);
                } else {
                    w.writeText(b, pos, l);
                }
                if (i < n - 1) {
                    w.fieldEnd();
                }
            }
            pos += l;
        }
        if (w != null) {
            w.rowEnd();
        }
        return hasher.rowEnd();
    }

    private SQLException truncated(int column) {
        return new SQLException("malformed row packet from the server: value " + (column + 1) + " of " + n
                + " runs past the end of the row");
    }

    private long copyRowSlow() throws SQLException, IOException {
        for (int i = 0; i < n; i++) {
            byte[] v = rs.getBytes(i + 1);
            if (v == null) {
                hasher.addNull();
            } else {
                hasher.add(v, 0, v.length);
            }
            if (w == null) {
                continue;
            }
            if (v == null) {
                w.writeNull();
            } else if (hex[i]) {
                w.writeHex(v);
            } else {
                w.writeText(v);
            }
            if (i < n - 1) {
                w.fieldEnd();
            }
        }
        if (w != null) {
            w.rowEnd();
        }
        return hasher.rowEnd();
    }
}
