package io.arborist.core.backup.store;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import io.arborist.core.backup.ArchiveKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * The key that encrypts archives at rest: every object of an archive, manifest included, is encrypted with Google
 * Tink's streaming AEAD AES256-GCM-HKDF with 1 MiB segments; the associated data binds each object's name, so objects
 * cannot be swapped or renamed unnoticed. It is derived (HMAC-SHA256 under a fixed label) from the same secret an
 * {@link ArchiveKey} reads, from an owner-only file or an environment variable, never the command line; the sealing
 * key and this one are independent.
 *
 * <p>Never printed: {@link #toString()} and {@link #fingerprint()} show only a fingerprint, which archives record so a
 * reader given another key is told so in one line. Immutable and thread-safe.
 *
 * @since 0.3
 */
public final class EncryptionKey {
    /** The scheme archives record: Tink's AES256_GCM_HKDF_1MB streaming AEAD. */
    public static final String SCHEME = "AES256_GCM_HKDF_1MB";
    private static final int SEGMENT = 1 << 20;
    private final StreamingAead aead;
    private final String fingerprint;

    private EncryptionKey(byte[] key) {
        try {
            this.aead = new AesGcmHkdfStreaming(key, "HmacSha256", 32, SEGMENT, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
        byte[] print;
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            print = mac.doFinal("arborist-encryption-key-fingerprint".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        this.fingerprint = HexFormat.of().formatHex(print).substring(0, 16);
        java.util.Arrays.fill(key, (byte) 0);
    }

    /**
     * @param key a key read from a file or an environment variable
     * @return the encryption key derived from it
     */
    public static EncryptionKey derivedFrom(ArchiveKey key) {
        Objects.requireNonNull(key, "key");
        return new EncryptionKey(HexFormat.of().parseHex(key.seal("arborist-archive-encryption-v1".getBytes(StandardCharsets.US_ASCII))));
    }

    /**
     * @param file a key file, readable by its owner only, at least 32 bytes (as {@link ArchiveKey#fromFile})
     * @return the key
     */
    public static EncryptionKey fromFile(java.nio.file.Path file) {
        return derivedFrom(ArchiveKey.fromFile(file));
    }

    /**
     * @param environment the environment to read (pass {@code System.getenv()})
     * @param variable the variable's name
     * @return the key (as {@link ArchiveKey#fromEnvironment})
     */
    public static EncryptionKey fromEnvironment(Map<String, String> environment, String variable) {
        return derivedFrom(ArchiveKey.fromEnvironment(environment, variable));
    }

    /** @return a short fingerprint (16 hex digits), safe to show and to record in an archive */
    public String fingerprint() {
        return fingerprint;
    }

    private static byte[] associatedData(String name) {
        return ("arborist-archive-object:" + name).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encrypts one object as it is written (for a tar entry or any stream; stores use it through {@link ArchiveWriter}).
     *
     * @param out where the ciphertext goes; closed with the returned stream
     * @param name the object's name inside its archive, bound as associated data
     * @return a stream taking the plaintext
     * @throws IOException when {@code out} fails
     */
    public OutputStream encrypting(OutputStream out, String name) throws IOException {
        try {
            return aead.newEncryptingStream(out, associatedData(name));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encrypting " + name, e);
        }
    }

    /**
     * Decrypts one object as it is read; a read fails with an {@link IOException} as soon as a segment was changed,
     * cut, swapped, or encrypted with another key or under another name.
     *
     * @param in the ciphertext; closed with the returned stream
     * @param name the object's name inside its archive
     * @return the plaintext
     * @throws IOException when the stream cannot be started
     */
    public InputStream decrypting(InputStream in, String name) throws IOException {
        try {
            return new Decrypting(aead.newDecryptingStream(in, associatedData(name)), name);
        } catch (GeneralSecurityException e) {
            throw new IOException(name + " cannot be decrypted", e);
        }
    }

    java.nio.channels.SeekableByteChannel decrypting(java.nio.channels.SeekableByteChannel in, String name) throws IOException {
        try {
            return aead.newSeekableDecryptingChannel(in, associatedData(name));
        } catch (GeneralSecurityException e) {
            throw new IOException(name + " cannot be decrypted", e);
        }
    }

    /**
     * @param plaintextBytes an object's size
     * @return its size once encrypted (a tar header needs it up front)
     */
    public long ciphertextSize(long plaintextBytes) {
        return ((AesGcmHkdfStreaming) aead).expectedCiphertextSize(plaintextBytes);
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + fingerprint + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKey k && MessageDigest.isEqual(k.fingerprint.getBytes(StandardCharsets.US_ASCII),
                fingerprint.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    /** Turns Tink's authentication failures into one line naming the object. */
    private static final class Decrypting extends java.io.FilterInputStream {
        private final String name;

        Decrypting(InputStream in, String name) {
            super(in);
            this.name = name;
        }

        private IOException failed(IOException e) {
            return new IOException(name + " failed decryption: it was changed or damaged, or encrypted with another key", e);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }
}
