package io.arborist.core.backup.store;

/** Object names inside a store: relative, {@code /}-separated, no {@code .} or {@code ..} segments, printable. */
final class ObjectNames {
    /** Prefix of the temporary files a local store writes before renaming them into place; never listed. */
    static final String TEMP = ".arborist-partial-";

    private ObjectNames() {
    }

    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("object name must not be empty");
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//") || name.contains("\\") || name.length() > 900) {
            throw new IllegalArgumentException("object name '" + name + "' must be a relative path with single / separators");
        }
        for (String segment : name.split("/")) {
            if (segment.equals(".") || segment.equals("..") || segment.startsWith(TEMP)) {
                throw new IllegalArgumentException("object name '" + name + "' must not contain '" + segment + "'");
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("object name holds a control character");
            }
        }
        return name;
    }

    /** @return {@code prefix/name}, or {@code name} for an empty prefix */
    static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** @return where an object of a store is, for messages: {@code s3://b/p/name} or {@code /dir/name} */
    static String where(BackupStore store, String name) {
        String d = store.destination().toString();
        return d.endsWith("/") ? d + name : d + "/" + name;
    }
}
