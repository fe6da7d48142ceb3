/**
 * Arborist core: release catalog and Aspects facts, the upgrade planner, the journaled executor, the backup and Tutor
 * runner service interfaces, and the no-data-loss report. Exports only its public API; {@code io.arborist.core.internal}
 * stays inside the module.
 */
module io.arborist.core {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.net.http;
    // The restore journal's owner is checked against this process's uid (com.sun.security.auth.module.UnixSystem).
    requires jdk.security.auth;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.retries.api;
    requires software.amazon.awssdk.retries;
    requires com.google.crypto.tink;

    exports io.arborist.core;
    exports io.arborist.core.aspects;
    exports io.arborist.core.backup;
    exports io.arborist.core.backup.store;
    exports io.arborist.core.execute;
    exports io.arborist.core.plan;
    exports io.arborist.core.release;
    exports io.arborist.core.report;
    exports io.arborist.core.spi;
}
