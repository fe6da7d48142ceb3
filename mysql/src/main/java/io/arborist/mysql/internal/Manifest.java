package io.arborist.mysql.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The archive's {@code manifest.json}, written last. Field order is the serialization order; the {@code checksum}
 * is the SHA-256 of the manifest serialized with an empty checksum.
 *
 * <p>{@code features} (format 4; null in older archives) lists, sorted, what the source used that not every server
 * has, and how the backup read it: {@code lock:LOCK INSTANCE FOR BACKUP} (MySQL: DDL blocked for the whole dump),
 * {@code binlog:<statement>} (how the binary log position was read), {@code generated-columns},
 * {@code json-columns} (MySQL's native JSON type), {@code invisible-columns},
 * {@code generated-invisible-primary-keys} (MySQL 8.0.30+ {@code my_row_id}), {@code collation:<name>} for each
 * collation of the saved columns, tables and databases, {@code auth-plugin:<name>} for each authentication plugin of
 * the saved users, and {@code roles} when roles were saved.
 */
public record Manifest(int formatVersion, String kind, String tool, String toolVersion, String created,
                       Server server, String consistency, long lockMillis,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String rowHash, List<String> warnings,
                       List<Database> databases, List<Table> tables, List<Routine> objects, List<String> users,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> features, String checksum) {
    /**
     * The current archive format: 2 adds {@code rowHash}, the row hash algorithm of the chunk and table checksums
     * (absent in format 1, which used the server-side {@link Sql#HASH_MD5}; format 2 archives name the server-side
     * {@link Sql#HASH_CRC32}); 3 writes {@link Sql#HASH_CLIENT}, computed by Arborist over the server's result rows.
     * Older archives are verified with the algorithm they record. 4 adds {@code features}: what the backup met on the
     * source and how it read it (see {@link #features()}), and saves users with all accounts and roles created before
     * any grant.
     */
    public static final int FORMAT_VERSION = 4;
    /** The archive kind this module writes. */
    public static final String KIND = "mysql";

    /** @return a copy with another checksum */
    public Manifest withChecksum(String value) {
        return new Manifest(formatVersion, kind, tool, toolVersion, created, server, consistency, lockMillis, rowHash,
                warnings, databases, tables, objects, users, features, value);
    }

    /** Source server facts. */
    public record Server(String version, String flavour, String sqlMode, String timeZone, String characterSet,
                         String collation, String binlogFile, long binlogPosition, String gtid) {
    }

    /** A database and its DDL. */
    public record Database(String name, String createSql) {
    }

    /** A table: DDL, dumped columns, totals and chunks. */
    public record Table(String database, String name, String engine, String createSql, List<Column> columns,
                        String rangeColumn, long rows, long bytes, String checksum, List<Chunk> chunks) {
    }

    /** A dumped column and how it is encoded ({@code text}, {@code hex} or {@code bit}). */
    public record Column(String name, String dataType, String encoding) {
    }

    /**
     * A data file: a range of the range column ({@code from} inclusive, {@code to} exclusive, either may be absent
     * for an open end, both absent for the whole table).
     */
    public record Chunk(int index, String file, String from, String to, long rows, long bytes, long fileBytes,
                        String sha256, String checksum) {
    }

    /** A view, routine, trigger or event, in creation order. */
    public record Routine(String type, String database, String name, String sqlMode, String createSql) {
    }
}
