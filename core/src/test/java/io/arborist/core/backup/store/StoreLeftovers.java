package io.arborist.core.backup.store;

import java.util.List;

/** For tests in other packages: what a killed writer left in a store (unfinished uploads, temporary files). */
public final class StoreLeftovers {
    private StoreLeftovers() {
    }

    /**
     * @param store a store
     * @return the names of its leftovers, as {@link Leftovers#leftovers(String)} lists them
     */
    public static List<String> of(BackupStore store) {
        return store instanceof Leftovers l ? l.leftovers("").stream().map(StoredObject::name).toList() : List.of();
    }
}
