// Backs up the Aspects xapi database and restores it as xapi_jshell, checking counts and checksums per table.
// Run: jshell --class-path "$(./arborist classpath)" -R-Darborist.clickhouse.url=http://127.0.0.1:8123 examples/jshell/clickhouse.jsh
// (password from CLICKHOUSE_PASSWORD)
import io.arborist.clickhouse.*;
import io.arborist.core.backup.*;
import java.nio.file.*;

var ch = ClickHouseEndpoint.of(System.getProperty("arborist.clickhouse.url", "http://127.0.0.1:8123"), 
        Credentials.of("default", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "").toCharArray()));
var dir = Files.createTempDirectory("arborist-jshell-ch").resolve("backup");
ClickHouseBackup.using(ch).databases("xapi").build().backup(dir);
var report = ClickHouseRestore.using(ch).rename("xapi", "xapi_jshell").build().restore(dir);
System.out.println("restored rows: " + report.rows() + ", tables match: " + report.allMatch());
/exit
