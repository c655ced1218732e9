package io.oomresponder.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code bench storm}: 500 alerts for 50 apps within a minute through serve's routes and the real
 * pipeline (see {@link AlertStorm}); prints what became of every alert and what Azure saw. Exit 1
 * when an alert is unaccounted for, an app was gathered more than once or has more than one incident.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "Alert storm: N alerts for M apps within one minute; evidence once per app, one incident per app, every alert accounted for.")
public final class BenchStorm implements Callable<Integer> {

    @Option(names = "--apps", defaultValue = "50", description = "Apps (default ${DEFAULT-VALUE}).")
    int apps;

    @Option(names = "--alerts", defaultValue = "500", description = "Alerts in all, spread evenly over the apps (default ${DEFAULT-VALUE}).")
    int alerts;

    @Option(names = "--workers", defaultValue = "2", description = "Queue workers, as serve's --workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--seed", defaultValue = "5000", description = "Seed of the first app (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout-s", defaultValue = "600", description = "Give up waiting after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (apps < 1 || alerts < apps || alerts % apps != 0 || workers < 1) {
            System.err.println("--apps must be at least 1, --alerts a multiple of --apps, --workers at least 1");
            return 2;
        }
        AlertStorm.Report r = AlertStorm.run(apps, alerts / apps, seed, workers, Duration.ofSeconds(timeoutSeconds));
        System.out.print(r.render());
        boolean held = r.finished() && r.accountedFor() == r.sent()
                && r.appGets().values().stream().allMatch(v -> v == 1)
                && r.incidentsPerApp().values().stream().allMatch(v -> v == 1);
        System.out.println(held ? "HELD: every alert accounted for, one gather and one incident per app"
                : "NOT HELD: see the figures above");
        return held ? 0 : 1;
    }
}
