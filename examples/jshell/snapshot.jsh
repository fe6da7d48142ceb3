// Takes a no-data-loss snapshot of edxapp (MySQL) and the Aspects databases (ClickHouse) and compares it with itself.
// Run: jshell --class-path "$(./arborist classpath)" -R-Darborist.mysql.url=jdbc:mysql://127.0.0.1:3306 \
//        -R-Darborist.clickhouse.url=http://127.0.0.1:8123 examples/jshell/snapshot.jsh
import com.mysql.cj.jdbc.MysqlDataSource;
import io.arborist.clickhouse.*;
import io.arborist.core.backup.Credentials;
import io.arborist.core.report.*;
import io.arborist.mysql.*;

var mysql = new MysqlDataSource();
mysql.setUrl(System.getProperty("arborist.mysql.url", "jdbc:mysql://127.0.0.1:3306"));
mysql.setUser("root");
mysql.setPassword(System.getenv().getOrDefault("MYSQL_PWD", ""));
var ch = ClickHouseEndpoint.of(System.getProperty("arborist.clickhouse.url", "http://127.0.0.1:8123"), 
        Credentials.of("default", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "").toCharArray()));
var snapshot = LearnerSnapshot.of(mysql, "edxapp").take().plus(AspectsSnapshot.of(ch).take());
System.out.println("counts: " + snapshot.measures().size());
System.out.println(SnapshotComparison.compare(snapshot, snapshot).toMarkdown());
/exit
