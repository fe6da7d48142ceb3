// Backs up edxapp, verifies the archive, restores it as edxapp_jshell and checks every table.
// Run: jshell --class-path "$(./arborist classpath)" -R-Darborist.mysql.url=jdbc:mysql://127.0.0.1:3306 examples/jshell/mysql.jsh
// (password from MYSQL_PWD)
import io.arborist.core.backup.*;
import io.arborist.mysql.*;
import java.nio.file.*;

var url = System.getProperty("arborist.mysql.url", "jdbc:mysql://127.0.0.1:3306");
var root = Credentials.of("root", System.getenv().getOrDefault("MYSQL_PWD", "").toCharArray());
var dir = Files.createTempDirectory("arborist-jshell-mysql").resolve("backup");
var archive = MySqlBackup.using(url, root).databases("edxapp").build().backup(dir);
MySqlArchive.verify(dir);
var report = MySqlRestore.using(url, root).rename("edxapp", "edxapp_jshell").build().restore(dir);
System.out.println("tables: " + archive.tables().size() + ", rows: " + archive.rows() + ", restored tables match: " + report.allMatch());
/exit
