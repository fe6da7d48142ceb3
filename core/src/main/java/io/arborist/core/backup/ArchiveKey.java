package io.arborist.core.backup;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret key that authenticates archives: backups write a keyed MAC (HMAC-SHA256) over their manifest, whose entries
 * hold every file's digest, and {@code verify} and restores refuse an archive whose MAC does not match. Without a key
 * an archive is only checked against its own digests, which anyone who edits it can recompute.
 *
 * <p>The key comes from a file (owner-only, at least 32 bytes; its text is used as is, or decoded from hex when it is
 * 64 or more hex digits) or from an environment variable the caller names; never from the command line. It is never
 * printed: {@link #toString()} shows only a fingerprint. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class ArchiveKey {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_BYTES = 32;
    private final byte[] key;

    private ArchiveKey(byte[] key, String where) {
        if (key.length < MIN_BYTES) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "archive key from " + where + " has " + key.length
                    + " bytes; use at least " + MIN_BYTES + " (for example: head -c 32 /dev/urandom | xxd -p -c 64 > key)");
        }
        this.key = key.clone();
    }

    /**
     * @param file a key file, readable by its owner only
     * @return the key
     * @throws ArboristException of kind CONFIGURATION naming the file when it is missing, shorter than 32 bytes, or
     *     readable by others
     */
    public static ArchiveKey fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] raw;
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new ArboristException(ErrorKind.CONFIGURATION, "archive key file " + file
                            + " is readable by others; chmod 600 it first");
                }
            }
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "archive key file " + file + " cannot be read: "
                    + e.getClass().getSimpleName(), e);
        }
        return new ArchiveKey(decode(raw), "file " + file);
    }

    /**
     * @param environment the environment to read (pass {@code System.getenv()}: the library reads nothing by itself)
     * @param variable the variable's name, e.g. {@code ARBORIST_ARCHIVE_KEY}
     * @return the key
     * @throws ArboristException of kind CONFIGURATION naming the variable (never its value) when it is unset or short
     */
    public static ArchiveKey fromEnvironment(Map<String, String> environment, String variable) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(variable, "variable");
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "environment variable " + variable + " holds no archive key");
        }
        return new ArchiveKey(decode(value.getBytes(StandardCharsets.UTF_8)), "environment variable " + variable);
    }

    private static byte[] decode(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8).strip();
        if (text.length() >= 64 && text.length() % 2 == 0 && text.matches("[0-9a-fA-F]+")) {
            return HexFormat.of().parseHex(text);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param manifest the manifest's exact bytes
     * @return the MAC, as lower-case hex
     */
    public String seal(byte[] manifest) {
        return HexFormat.of().formatHex(mac(manifest));
    }

    /**
     * @param manifest the manifest's exact bytes
     * @param seal the MAC stored with it
     * @return whether it matches (compared in constant time)
     */
    public boolean verifies(byte[] manifest, String seal) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(seal.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(manifest), given);
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    }

    /** @return a short fingerprint of the key (its MAC over a fixed label, cut to 16 hex digits), safe to show and record */
    public String fingerprint() {
        return seal("arborist-archive-key-fingerprint".getBytes(StandardCharsets.US_ASCII)).substring(0, 16);
    }

    @Override
    public String toString() {
        return "ArchiveKey[" + fingerprint() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveKey k && MessageDigest.isEqual(k.key, key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fingerprint().getBytes(StandardCharsets.US_ASCII));
    }
}
