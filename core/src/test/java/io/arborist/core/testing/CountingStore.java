package io.arborist.core.testing;

import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.core.backup.store.StoredObject;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store that counts how often each object is opened, to show that a file is read once or not at all. Closing it
 * leaves the wrapped store open: that one belongs to the test.
 *
 * @param store the store read through
 * @param opened object name to the number of opens, filled as they happen
 * @param counted which names are counted
 */
public record CountingStore(BackupStore store, Map<String, Integer> opened, Predicate<String> counted) implements BackupStore {
    /**
     * Counts every object.
     *
     * @param store the store read through
     * @param opened object name to the number of opens
     */
    public CountingStore(BackupStore store, Map<String, Integer> opened) {
        this(store, opened, name -> true);
    }

    /**
     * Counts the data files only ({@code data/…}).
     *
     * @param store the store read through
     * @param opened object name to the number of opens
     * @return the counting store
     */
    public static CountingStore dataFiles(BackupStore store, Map<String, Integer> opened) {
        return new CountingStore(store, opened, name -> name.startsWith("data/"));
    }

    private void count(String name) {
        if (counted.test(name)) {
            opened.merge(name, 1, Integer::sum);
        }
    }

    @Override
    public Destination destination() {
        return store.destination();
    }

    @Override
    public StoreOutputStream create(String name) {
        return store.create(name);
    }

    @Override
    public InputStream open(String name) {
        count(name);
        return store.open(name);
    }

    @Override
    public InputStream open(String name, long offset, long length) {
        count(name);
        return store.open(name, offset, length);
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        return store.stat(name);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public void delete(String name) {
        store.delete(name);
    }

    @Override
    public BackupStore within(String prefix) {
        return new CountingStore(store.within(prefix), opened, counted);
    }

    @Override
    public void close() {
        // the wrapped store is the test's to close
    }
}
