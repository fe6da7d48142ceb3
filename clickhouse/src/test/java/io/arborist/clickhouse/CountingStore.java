package io.arborist.clickhouse;

import java.util.List;

/** A store that counts how often each data file ({@code data/…}) is opened, to show a file is read once or not at all. */
final class CountingStore implements io.arborist.core.backup.store.BackupStore {
    private final io.arborist.core.backup.store.BackupStore inner;
    private final java.util.Map<String, Integer> opened;

    CountingStore(io.arborist.core.backup.store.BackupStore inner, java.util.Map<String, Integer> opened) {
        this.inner = inner;
        this.opened = opened;
    }

    private void count(String name) {
        if (name.startsWith("data/")) {
            opened.merge(name, 1, Integer::sum);
        }
    }

    @Override
    public io.arborist.core.backup.store.Destination destination() {
        return inner.destination();
    }

    @Override
    public io.arborist.core.backup.store.StoreOutputStream create(String name) {
        return inner.create(name);
    }

    @Override
    public java.io.InputStream open(String name) {
        count(name);
        return inner.open(name);
    }

    @Override
    public java.io.InputStream open(String name, long offset, long length) {
        count(name);
        return inner.open(name, offset, length);
    }

    @Override
    public java.util.Optional<io.arborist.core.backup.store.StoredObject> stat(String name) {
        return inner.stat(name);
    }

    @Override
    public List<io.arborist.core.backup.store.StoredObject> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        inner.delete(name);
    }

    @Override
    public io.arborist.core.backup.store.BackupStore within(String prefix) {
        return new CountingStore(inner.within(prefix), opened);
    }

    @Override
    public void close() {
        inner.close();
    }
}
