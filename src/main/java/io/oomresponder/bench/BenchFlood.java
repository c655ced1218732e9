package io.oomresponder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench flood}: the issue-26 attack on a fresh {@code serve} process, bounded and on loopback
 * only. Connections pipeline {@code GET /api/health} (no key needed) and never read an answer; a
 * connection the server closes is opened again, until the duration or the byte cap is reached.
 * Meanwhile serve's resident memory is sampled and health is probed on its own connection; afterwards
 * the peak memory, the heap after GC and whether health still answers are printed.
 */
@Command(name = "flood", mixinStandardHelpOptions = true,
        description = "Pipelined health requests that are never read, against a fresh 'serve' on loopback: peak memory, and whether health answers during and after.")
public final class BenchFlood implements Callable<Integer> {

    private static final String KEY = "bench-flood-key-0123456789";

    @Option(names = "--connections", defaultValue = "4", description = "Flooding connections at once, at most 32 (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "30", description = "How long the flood lasts, at most 300 (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--max-mb", defaultValue = "16384", description = "Stop after sending this many MB of requests (default ${DEFAULT-VALUE}).")
    long maxMb;

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--jvm-options", defaultValue = "-Xmx256m", paramLabel = "OPTS", description = "JVM options of the serve process (default ${DEFAULT-VALUE}, the issue's heap).")
    String jvmOptions;

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : BenchColdStart.runningJar();
        if (theJar == null || !Files.isRegularFile(theJar) || connections < 1 || connections > 32 || seconds < 1 || seconds > 300 || maxMb < 1) {
            System.err.println("need --jar (when not run from the jar), --connections 1..32, --seconds 1..300 and --max-mb of at least 1");
            return 2;
        }
        List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (SimulatedFleet fleet = SimulatedFleet.start(1, 3000, SimulatedFleet.STORM_SCENARIOS, null)) {
            Map<String, String> env = new HashMap<>(fleet.settingValues());
            env.put("NOTE_FILE_DIR", "-");
            env.put("SERVE_API_KEY", KEY);
            try (ChildServe child = ChildServe.start(theJar, opts, env, 2)) {
                int port = child.awaitListening(Duration.ofMinutes(2));
                // Loopback only: the flood never goes anywhere but this child.
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
                URI health = URI.create("http://127.0.0.1:" + port + "/api/health");
                long rssBefore = memoryKb(child.pid(), "VmRSS");
                byte[] burst = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(512).getBytes(StandardCharsets.US_ASCII);
                int requestBytes = burst.length / 512;

                List<SocketChannel> open = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    open.add(connect(target));
                }
                long sent = 0;
                long reopened = 0;
                long peakRss = rssBefore;
                int probes = 0;
                int probesAnswered = 0;
                long worstProbeMs = 0;
                long t0 = System.nanoTime();
                long nextSample = t0;
                long nextProbe = t0 + 1_000_000_000L;
                long end = t0 + seconds * 1_000_000_000L;
                while (System.nanoTime() < end && sent < maxMb << 20) {
                    boolean progress = false;
                    for (int i = 0; i < open.size(); i++) {
                        try {
                            int n = open.get(i).write(ByteBuffer.wrap(burst));
                            sent += n;
                            progress |= n > 0;
                        } catch (IOException closedByServer) {
                            open.get(i).close();
                            open.set(i, connect(target));
                            reopened++;
                        }
                    }
                    long now = System.nanoTime();
                    if (now >= nextSample) {
                        peakRss = Math.max(peakRss, memoryKb(child.pid(), "VmRSS"));
                        nextSample = now + 100_000_000L;
                    }
                    if (now >= nextProbe) {
                        probes++;
                        long p0 = System.nanoTime();
                        if (probe(http, health, null, Duration.ofSeconds(2)) == 200) {
                            probesAnswered++;
                            worstProbeMs = Math.max(worstProbeMs, (System.nanoTime() - p0) / 1_000_000);
                        }
                        nextProbe = System.nanoTime() + 1_000_000_000L;
                    }
                    if (!progress) {
                        Thread.sleep(1);
                    }
                }
                double floodS = (System.nanoTime() - t0) / 1e9;
                for (SocketChannel c : open) {
                    c.close();
                }
                long p0 = System.nanoTime();
                int after = probe(http, health, null, Duration.ofSeconds(10));
                long afterMs = (System.nanoTime() - p0) / 1_000_000;
                long hwm = memoryKb(child.pid(), "VmHWM");
                long heapAfterGc = child.usedHeapAfterGc();
                JsonNode detail = detailedHealth(http, health);

                System.out.printf(Locale.ROOT, "serve (JVM options [%s]) flooded on loopback by %d connections for %.1f s: pipelined GET /api/health, never reading%n",
                        String.join(" ", opts), connections, floodS);
                System.out.printf(Locale.ROOT, "written into the flood's sockets: %.1f MB (%d requests; what serve did not read was dropped with the connection); connections closed by serve and opened again: %d%n",
                        sent / 1048576.0, sent / requestBytes, reopened);
                System.out.printf(Locale.ROOT, "serve memory: RSS %.1f MB before, peak sampled %.1f MB, high-water mark %.1f MB; heap after GC at the end %.1f MB%n",
                        rssBefore / 1024.0, peakRss / 1024.0, hwm / 1024.0, heapAfterGc / 1048576.0);
                System.out.printf(Locale.ROOT, "health during the flood: %d of %d probes answered 200 within 2 s (slowest %d ms)%n", probesAnswered, probes, worstProbeMs);
                System.out.printf(Locale.ROOT, "health after the flood: %s in %d ms%n", after == 200 ? "200" : "NO ANSWER (" + after + ")", afterMs);
                if (detail != null) {
                    System.out.printf(Locale.ROOT, "serve's counters: %s%n", detail.path("connections"));
                }
                if (child.errorSummary() != null) {
                    System.out.println(child.errorSummary());
                }
                return after == 200 ? 0 : 1;
            }
        }
    }

    private static SocketChannel connect(InetSocketAddress target) throws IOException {
        SocketChannel ch = SocketChannel.open();
        // A small receive window, as a client that never reads would leave it.
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ch.connect(target);
        ch.configureBlocking(false);
        return ch;
    }

    /** The status of GET health, or -1 when it did not answer in time. */
    private static int probe(HttpClient http, URI health, String key, Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(health).timeout(timeout);
            if (key != null) {
                b.header("x-functions-key", key);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode detailedHealth(HttpClient http, URI health) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).header("x-functions-key", KEY).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A figure of /proc/PID/status in kB (VmRSS, VmHWM), or 0 where there is no /proc. */
    static long memoryKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
