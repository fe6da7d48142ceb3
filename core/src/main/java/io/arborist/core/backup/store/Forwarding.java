package io.arborist.core.backup.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A store that passes every call to another; decorators override what they change. */
class Forwarding implements BackupStore {
    final BackupStore inner;

    Forwarding(BackupStore inner) {
        this.inner = inner;
    }

    @Override
    public Destination destination() {
        return inner.destination();
    }

    @Override
    public StoreOutputStream create(String name) {
        return inner.create(name);
    }

    @Override
    public InputStream open(String name) {
        return inner.open(name);
    }

    @Override
    public InputStream open(String name, long offset, long length) {
        return inner.open(name, offset, length);
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        return inner.stat(name);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public void delete(String name) {
        inner.delete(name);
    }

    @Override
    public BackupStore within(String prefix) {
        return inner.within(prefix);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
