package io.arborist.core.plan;

import java.util.Collection;

/** What a backup step's targets hold and how they are taken, said at the step. */
final class BackupNotes {
    private BackupNotes() {
    }

    static String scope(Draft d, Collection<BackupTarget> targets) {
        StringBuilder b = new StringBuilder();
        if (targets.contains(BackupTarget.MONGODB)) {
            b.append("MongoDB holds the course content (and forum posts before the MySQL forum backend). ");
        }
        if (targets.contains(BackupTarget.TUTOR_ROOT)) {
            b.append("The Tutor root means config.yml and env/, not data/ (the datastores are backed up on their own). ");
        }
        if (targets.contains(BackupTarget.CLICKHOUSE)) {
            b.append("ClickHouse: ").append(d.catalog.aspectsFacts().clickhouseBackupRule()).append(' ');
        }
        if (!targets.contains(BackupTarget.SEARCH_INDEX)) {
            b.append("Search indexes (Elasticsearch, Meilisearch) are not backed up: they are rebuilt from MySQL and MongoDB.");
        }
        return b.toString().strip();
    }
}
