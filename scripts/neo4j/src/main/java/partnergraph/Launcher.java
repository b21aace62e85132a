package partnergraph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Neo4j 5.26 Community, in-process, for partner-graph's tests and for users without Docker.
 *
 * <pre>
 * java -cp 'target/classes:target/lib/*' partnergraph.Launcher [--port N] [--data DIR] [--pagecache MB]
 *                                                             [--stop-when-stdin-closes]
 * </pre>
 *
 * Bolt listens on 127.0.0.1 only, on port N (0, the default, picks a free port). With {@code --data DIR}
 * the databases live in DIR and survive restarts; without it they live in a temporary folder deleted on
 * stop (impermanent). Authentication is off: any user name and password are accepted, which is why the
 * connector is bound to the loopback address. When the database is ready the launcher prints one line,
 * the Bolt URI ({@code bolt://127.0.0.1:PORT}), on standard output; Neo4j's own log is
 * DIR/logs/debug.log. SIGTERM or SIGINT shuts the database down cleanly. With
 * {@code --stop-when-stdin-closes} it also stops when its standard input reaches end of file, so a test
 * session that dies cannot leave it running; an impermanent database is then dropped without a
 * shutdown (nothing of it is kept, so there is nothing to flush).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path data = null;
        long pagecacheMb = 128;
        boolean stopWithStdin = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data" -> data = Path.of(value(args, ++i, "--data")).toAbsolutePath();
                case "--pagecache" -> pagecacheMb = Long.parseLong(value(args, ++i, "--pagecache"));
                case "--stop-when-stdin-closes" -> stopWithStdin = true;
                default -> fail("unknown argument " + args[i]
                        + "; usage: Launcher [--port N] [--data DIR] [--pagecache MB] [--stop-when-stdin-closes]");
            }
        }
        boolean impermanent = data == null;
        Path home = impermanent ? Files.createTempDirectory("partner-graph-neo4j-") : data;
        Files.createDirectories(home);

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, impermanent ? "false" : "2 files")
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                // Bolt's network threads wait 5 s of quiet, twice, before they stop: 10 of the 13 s a
                // clean stop took. Every connection is closed by then, so no wait is needed.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            if (impermanent) {
                deleteTree(home);
            }
            System.err.println("neo4j launcher: stopped");
            stopped.countDown();
        }, "neo4j-launcher-shutdown"));

        GraphDatabaseAPI system = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        int boltPort = system.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("bolt://127.0.0.1:" + boltPort);
        System.out.flush();

        if (stopWithStdin) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                if (impermanent) {
                    // Nothing of an impermanent database is kept, so a clean shutdown (a checkpoint,
                    // flushing the page cache: ~10 s on a busy machine) is work thrown away. Delete it
                    // and end the JVM at once; SIGTERM still shuts down cleanly.
                    deleteTree(home);
                    System.err.println("neo4j launcher: stopped (impermanent database dropped)");
                    Runtime.getRuntime().halt(0);
                }
                System.exit(0);
            }, "neo4j-launcher-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            fail(option + " needs a value");
        }
        return args[index];
    }

    private static void fail(String message) {
        System.err.println("neo4j launcher: " + message);
        System.exit(2);
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // wait for end of file
            }
        } catch (IOException closed) {
            // a broken pipe means the parent is gone too
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
