package io.arborist.cli;

import io.arborist.clickhouse.AspectsSnapshot;
import io.arborist.core.report.Snapshot;

/** The ClickHouse side of {@code arborist snapshot}: rows per Aspects table and xAPI events per day. */
final class ClickHouseSnapshots {
    private ClickHouseSnapshots() {
    }

    static Snapshot take(DataStoreOptions stores) {
        AspectsSnapshot s = AspectsSnapshot.of(stores.clickhouse().orElseThrow()).describedAs("clickhouse " + stores.clickhouseUrl);
        if (!stores.clickhouseDatabases.isEmpty()) {
            s = s.databases(stores.clickhouseDatabases);
        }
        return s.take();
    }
}
