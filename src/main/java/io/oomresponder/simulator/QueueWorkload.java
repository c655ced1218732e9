package io.oomresponder.simulator;

import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.ScaleSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The queue an app takes work from, when it has one: its KEDA scale rule and the queue's own
 * backlog metrics as Azure Monitor serves them on the queue's resource (docs/azure-contract.md,
 * "Queue backlog metrics"). Which service, whether the app logs about it and how the backlog moves
 * are drawn per seed: a queue rule or a log line about a queue says nothing about memory, so apps
 * of every family may have one, with a backlog that does not grow; only a buffering app's backlog
 * builds.
 */
final class QueueWorkload {

    /** The services whose backlog metrics the simulator serves. */
    enum Service {
        /** {@code ActiveMessages} (Average, PT1M, dimension EntityName). */
        SERVICE_BUS("azure-servicebus", "Microsoft.ServiceBus/namespaces"),
        /** {@code QueueMessageCount} (Average, PT1H, no dimension: the account's queues together). */
        STORAGE_QUEUE("azure-queue", "Microsoft.Storage/storageAccounts/queueServices"),
        /** {@code IncomingMessages} and {@code OutgoingMessages} (Total, PT1M, dimension EntityName). */
        EVENT_HUBS("azure-eventhub", "Microsoft.EventHub/namespaces");

        final String kedaType;
        final String namespace;

        Service(String kedaType, String namespace) {
            this.kedaType = kedaType;
            this.namespace = namespace;
        }
    }

    /** Share of apps outside the buffer family that take work from a queue (a guess: varied, never decisive). */
    static final double UNRELATED_QUEUE_SHARE = 0.3;

    static final QueueWorkload NONE = new QueueWorkload(null, null, null, 0, 0, false, 0, 0, 0);

    final Service service;
    final String entity;
    final String resource;
    private final double startBacklog;
    /** Messages per minute the backlog waiting in the queue grows by (0: it does not grow). */
    private final double growthPerMinute;
    final boolean logsAboutQueue;
    private final double noiseShare;
    private final double arrivalsPerMinute;
    private final long seed;

    private QueueWorkload(Service service, String entity, String resource, double startBacklog, double growthPerMinute,
                          boolean logsAboutQueue, double noiseShare, double arrivalsPerMinute, long seed) {
        this.service = service;
        this.entity = entity;
        this.resource = resource;
        this.startBacklog = startBacklog;
        this.growthPerMinute = growthPerMinute;
        this.logsAboutQueue = logsAboutQueue;
        this.noiseShare = noiseShare;
        this.arrivalsPerMinute = arrivalsPerMinute;
        this.seed = seed;
    }

    boolean present() {
        return service != null;
    }

    /**
     * A queue whose backlog builds ({@code growthPerMinute} &gt; 0: work arrives faster than it is
     * finished) or holds steady (0).
     */
    static QueueWorkload draw(SplittableRandom rnd, String appName, String entity, double growthPerMinute) {
        Service service = Service.values()[rnd.nextInt(Service.values().length)];
        String resource = (service == Service.STORAGE_QUEUE ? "st" : service == Service.EVENT_HUBS ? "evh-" : "sb-")
                + appName.replace("-", "");
        double arrivals = 50 + rnd.nextDouble() * 2_000;
        // An Event Hubs consumer that buffers in memory still reads every event: messages read keep pace
        // with messages in, so its backlog does not grow whatever the app holds.
        return new QueueWorkload(service, entity, resource, arrivals * (0.5 + 3 * rnd.nextDouble()),
                service == Service.EVENT_HUBS ? 0 : growthPerMinute,
                rnd.nextBoolean(), 0.03 + 0.15 * rnd.nextDouble(), arrivals, rnd.nextLong());
    }

    ScaleSettings.Rule rule() {
        return switch (service) {
            case SERVICE_BUS -> new ScaleSettings.Rule("queue-scaler", service.kedaType,
                    Map.of("queueName", entity, "messageCount", "500", "namespace", resource));
            case STORAGE_QUEUE -> new ScaleSettings.Rule("queue-scaler", service.kedaType,
                    Map.of("queueName", entity, "queueLength", "100", "accountName", resource));
            case EVENT_HUBS -> new ScaleSettings.Rule("stream-scaler", service.kedaType,
                    Map.of("eventHubNamespace", resource, "eventHubName", entity, "consumerGroup", "$Default", "unprocessedEventThreshold", "64"));
        };
    }

    /** A harmless line an app writes when it connects (if it logs about its queue at all). */
    String connectLine() {
        return "INFO  consumer: connected to " + (service == Service.EVENT_HUBS ? "event hub '" : "queue '") + entity + "'";
    }

    /** The queue's own metrics over the window, as the metrics API serves them on the queue's resource. */
    List<MetricSeries> metrics(Instant[] times) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, String> dims = Map.of("EntityName", entity, "metricNamespace", service.namespace);
        List<MetricSeries> out = new ArrayList<>();
        switch (service) {
            case SERVICE_BUS -> {
                List<MetricPoint> p = new ArrayList<>();
                for (int m = 0; m < times.length; m++) {
                    p.add(new MetricPoint(times[m], (double) Math.round(Math.max(0, backlog(m) * (1 + noiseShare * gaussian(rnd))))));
                }
                out.add(new MetricSeries("ActiveMessages", "Average", "Count", dims, p));
            }
            case STORAGE_QUEUE -> {
                // Hourly, for the whole account: a short window has few points (the diagnosis needs 8).
                List<MetricPoint> p = new ArrayList<>();
                for (int m = 0; m < times.length; m++) {
                    if (times[m].getEpochSecond() % 3600 == 0) {
                        p.add(new MetricPoint(times[m], (double) Math.round(Math.max(0, backlog(m) * (1 + noiseShare * gaussian(rnd))))));
                    }
                }
                if (!p.isEmpty()) {
                    out.add(new MetricSeries("QueueMessageCount", "Average", "Count", Map.of("metricNamespace", service.namespace), p));
                }
            }
            case EVENT_HUBS -> {
                // Messages in and messages read: the backlog is their running difference.
                List<MetricPoint> in = new ArrayList<>();
                List<MetricPoint> read = new ArrayList<>();
                for (int m = 0; m < times.length; m++) {
                    double arrivals = arrivalsPerMinute * (1 + noiseShare * gaussian(rnd));
                    double growth = backlog(m) - (m == 0 ? startBacklog : backlog(m - 1));
                    in.add(new MetricPoint(times[m], (double) Math.round(Math.max(0, arrivals))));
                    read.add(new MetricPoint(times[m], (double) Math.round(Math.max(0, arrivals - growth + noiseShare * arrivalsPerMinute * gaussian(rnd)))));
                }
                out.add(new MetricSeries("IncomingMessages", "Total", "Count", dims, in));
                out.add(new MetricSeries("OutgoingMessages", "Total", "Count", dims, read));
            }
        }
        return out;
    }

    private double backlog(int minute) {
        return startBacklog + growthPerMinute * minute;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = Math.max(1e-12, rnd.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
