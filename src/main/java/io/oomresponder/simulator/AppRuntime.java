package io.oomresponder.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The language runtime of the simulated container, for the console lines it writes when it starts
 * and when it fails for a reason other than memory.
 */
enum AppRuntime {
    JVM(List.of(
            "Starting Application v%s using Java 21.0.4 with PID 1 (/app/app.jar started by app in /app)",
            "Tomcat initialized with port 8080 (http)",
            "Tomcat started on port 8080 (http) with context path '/'",
            "Started Application in %d.%03d seconds (process running for %d.%03d)"),
            List.of(
                    List.of("Exception in thread \"main\" java.lang.IllegalStateException: Failed to connect to Redis at cache:6379",
                            "\tat com.shop.cache.RedisPool.init(RedisPool.java:88)",
                            "\tat com.shop.Application.main(Application.java:41)"),
                    List.of("Application run failed",
                            "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
                            "Caused by: org.postgresql.util.PSQLException: FATAL: remaining connection slots are reserved for non-replication superuser connections",
                            "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)"),
                    List.of("Exception in thread \"scheduler-1\" java.lang.NullPointerException: Cannot invoke \"com.shop.orders.Order.getLines()\" because \"order\" is null",
                            "\tat com.shop.orders.OrderExporter.export(OrderExporter.java:57)",
                            "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)"))),
    NODE(List.of(
            "> %s@%s start",
            "> node dist/server.js",
            "{\"level\":30,\"msg\":\"Server listening at http://0.0.0.0:3000\"}"),
            List.of(
                    List.of("node:internal/process/promises:289",
                            "            triggerUncaughtException(err, true /* fromPromise */);",
                            "Error: connect ECONNREFUSED 10.0.4.12:5432",
                            "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"),
                    List.of("/app/dist/routes/orders.js:88",
                            "TypeError: Cannot read properties of undefined (reading 'items')",
                            "    at processOrder (/app/dist/routes/orders.js:88:31)",
                            "Node.js v20.17.0"))),
    DOTNET(List.of(
            "info: Microsoft.Hosting.Lifetime[14]",
            "      Now listening on: http://[::]:8080",
            "info: Microsoft.Hosting.Lifetime[0]",
            "      Application started. Press Ctrl+C to shut down."),
            List.of(
                    List.of("Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'Shop.Orders.IOrderStore' while attempting to activate 'Shop.Orders.OrdersController'.",
                            "   at Microsoft.Extensions.DependencyInjection.ActivatorUtilities.GetService(IServiceProvider sp, Type type, Type requiredBy, Boolean isDefaultParameterRequired)",
                            "   at Program.<Main>$(String[] args) in /src/Program.cs:line 52"),
                    List.of("Unhandled exception. Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.4.12:5432",
                            " ---> System.Net.Sockets.SocketException (111): Connection refused",
                            "   at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)"))),
    PYTHON(List.of(
            "[%s] [1] [INFO] Starting gunicorn 22.0.0",
            "[%s] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
            "[%s] [1] [INFO] Using worker: uvicorn.workers.UvicornWorker",
            "[%s] [7] [INFO] Application startup complete."),
            List.of(
                    List.of("Traceback (most recent call last):",
                            "  File \"/app/main.py\", line 42, in <module>",
                            "    settings = Settings(database_url=os.environ[\"DATABASE_URL\"])",
                            "KeyError: 'DATABASE_URL'"),
                    List.of("Traceback (most recent call last):",
                            "  File \"/app/worker/consume.py\", line 117, in handle",
                            "    payload = json.loads(message.body)",
                            "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)")));

    private final List<String> startupTemplates;
    private final List<List<String>> crashTraces;

    AppRuntime(List<String> startupTemplates, List<List<String>> crashTraces) {
        this.startupTemplates = startupTemplates;
        this.crashTraces = crashTraces;
    }

    /** The lines the runtime writes to stdout on a start, with seeded timings and versions. */
    List<String> startupLines(AppIdentity app, String timestamp, SplittableRandom rnd) {
        int millis = 2_000 + rnd.nextInt(14_000);
        return startupTemplates.stream().map(t -> switch (this) {
            case JVM -> t.startsWith("Starting") ? String.format(t, app.imageTag())
                    : t.startsWith("Started") ? String.format(t, millis / 1000, millis % 1000, millis / 1000 + 1, (millis + 700) % 1000) : t;
            case NODE -> t.startsWith("> %s") ? String.format(t, app.appName(), app.imageTag()) : t;
            case PYTHON -> String.format(t, timestamp);
            case DOTNET -> t;
        }).toList();
    }

    /** The trace this app writes on every crash: one app fails the same way again and again. */
    List<String> crashTrace(int which) {
        return crashTraces.get(Math.floorMod(which, crashTraces.size()));
    }
}
