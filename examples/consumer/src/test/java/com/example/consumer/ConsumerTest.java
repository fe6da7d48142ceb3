package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arborist.core.backup.Credentials;
import io.arborist.core.plan.BackupStep;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.UpgradePlan;
import io.arborist.core.plan.UpgradePlanner;
import io.arborist.core.release.ReleaseCatalog;
import io.arborist.mysql.MySqlArchive;
import io.arborist.mysql.MySqlBackup;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses Arborist from outside its repository: the installed jars, their declared dependencies, nothing else. */
class ConsumerTest {
    @TempDir
    Path dir;

    @Test
    void plans_koa_to_olive_with_a_backup_before_the_first_migration() {
        UpgradePlan plan = UpgradePlanner.create(ReleaseCatalog.bundled()).plan("koa", "olive");

        assertEquals("koa", plan.from().release().release().value());
        assertFalse(plan.steps().isEmpty());
        assertTrue(plan.steps().stream().anyMatch(s -> s instanceof BackupStep b && b.targets().contains(BackupTarget.MYSQL)),
                "a backup step saves MySQL");
        assertTrue(plan.toMarkdown().toLowerCase(java.util.Locale.ROOT).contains("olive"), plan.toMarkdown());
    }

    @Test
    void backs_up_a_mysql_database_and_verifies_the_archive() throws SQLException {
        String url = System.getProperty("consumer.mysql.url", "");
        if (url.isBlank()) {
            throw new IllegalStateException("no MySQL server: run examples/consumer/run, which starts one and passes -Dconsumer.mysql.url");
        }
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE consumer_edxapp");
            s.execute("CREATE TABLE consumer_edxapp.certificates (id INT PRIMARY KEY, user_id INT NOT NULL, grade VARCHAR(8))");
            s.execute("INSERT INTO consumer_edxapp.certificates VALUES (1, 10, 'Pass'), (2, 11, 'Pass'), (3, 12, 'Fail')");
        }

        MySqlArchive archive;
        try (Credentials root = Credentials.withoutPassword("root")) {
            archive = MySqlBackup.using(url, root).databases("consumer_edxapp").build().backup(dir.resolve("backup"));
        }
        MySqlArchive.verify(archive.directory());

        assertEquals(3, archive.rows());
        assertEquals(1, archive.tables().size());
        assertTrue(Files.isDirectory(archive.directory()));
    }

    /** The jars carry the module names the README documents, so they work on the module path too. */
    @Test
    void the_jars_are_named_modules() throws URISyntaxException {
        assertEquals(List.of("io.arborist.core"), moduleOf(UpgradePlanner.class));
        assertEquals(List.of("io.arborist.mysql"), moduleOf(MySqlBackup.class));
    }

    private static List<String> moduleOf(Class<?> type) throws URISyntaxException {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(jar.toString().endsWith(".jar"), "loaded from an installed jar, not a build directory: " + jar);
        return ModuleFinder.of(jar).findAll().stream().map(ModuleReference::descriptor).map(d -> d.name()).toList();
    }
}
