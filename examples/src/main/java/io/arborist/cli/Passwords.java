package io.arborist.cli;

import io.arborist.core.backup.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a password from a file (first line) or an environment variable; never from the command line. */
final class Passwords {
    private Passwords() {
    }

    /**
     * @param file a password file, or null
     * @param envName the variable the user named, or null
     * @param defaultEnv the variable used when none was named and no file was given
     * @return the password, empty when none is configured
     */
    static String read(Path file, String envName, String defaultEnv) {
        return readText(file, envName, defaultEnv);
    }

    /**
     * @param user the user
     * @param password a password array, cleared here
     * @return the credentials (close them once the service is built)
     */
    static Credentials credentials(String user, char[] password) {
        try {
            return Credentials.of(user, password);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static String readText(Path file, String envName, String defaultEnv) {
        if (file != null) {
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the password file " + file + ": " + e.getMessage());
            }
        }
        String v = System.getenv(envName == null ? defaultEnv : envName);
        if (v == null && envName != null) {
            throw new IllegalArgumentException("environment variable " + envName + " is not set");
        }
        return v == null ? "" : v;
    }
}
