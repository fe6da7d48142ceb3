package io.arborist.core.backup.store;

import java.util.List;

/** What a killed writer leaves behind (temporary files, incomplete multipart uploads): never objects, but space. */
interface Leftovers {
    /**
     * @param prefix a directory-like prefix, {@code ""} for all
     * @return the leftovers below it, named like the objects they would have become (or their temporary files)
     */
    List<StoredObject> leftovers(String prefix);

    /**
     * Removes one leftover (deletes the temporary file, aborts the uploads of that name).
     *
     * @param leftover one of {@link #leftovers(String)}
     */
    void discard(StoredObject leftover);
}
