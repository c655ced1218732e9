package io.oomresponder.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh {@code java -jar oom-responder.jar serve --port 0} process for benchmarks: when it began,
 * when it said it listens (and on which port), how many alerts its workers have finished (from its
 * log), and its heap after a full GC (via {@code jcmd}).
 */
public final class ChildServe implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("serving on http://[^:]+:(\\d+)/api");
    /** QueueWorkers logs "<dedupeKey>: <STATUS> <detail>" for every finished alert. */
    private static final Pattern FINISHED = Pattern.compile(": (DELIVERED|DUPLICATE|QUIET|IGNORED)\\b");
    private static final Pattern DELIVERED = Pattern.compile(": DELIVERED\\b");
    /** AlertIntake logs this for each alert it answers 202 but does not queue (INTAKE_APP_RATE_LIMIT): finished too. */
    private static final Pattern RATE_LIMITED = Pattern.compile(" ignored: over the app's rate limit");
    private static final Pattern USED_HEAP = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final AtomicLong listeningAtNanos = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong firstDeliveredAtNanos = new AtomicLong();
    private final List<String> errorLines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicLong errorCount = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Deque<String> lastLines = new java.util.ArrayDeque<>();

    private ChildServe(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        Thread reader = new Thread(this::readLog, "child-serve-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts serve from {@code jar} with these JVM options and extra environment. */
    static ChildServe start(Path jar, List<String> jvmOptions, Map<String, String> env, int workers) throws IOException {
        return start(jar, jvmOptions, env, workers, List.of());
    }

    /** As above, with more {@code serve} arguments. */
    static ChildServe start(Path jar, List<String> jvmOptions, Map<String, String> env, int workers, List<String> serveArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--workers", String.valueOf(workers)));
        cmd.addAll(serveArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new ChildServe(pb.start(), t0);
    }

    /** The {@code java} launcher of the running JVM, so a child runs on the same JDK. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private void readLog() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) {
                    listeningAtNanos.set(System.nanoTime());
                    port.complete(Integer.parseInt(m.group(1)));
                }
                if (RATE_LIMITED.matcher(line).find()) {
                    rateLimited.incrementAndGet();
                    finished.incrementAndGet();
                } else if (FINISHED.matcher(line).find()) {
                    if (DELIVERED.matcher(line).find()) {
                        firstDeliveredAtNanos.compareAndSet(0, System.nanoTime());
                    }
                    finished.incrementAndGet();
                }
                if (line.contains("ERROR") || line.contains("Exception")) {
                    errorCount.incrementAndGet();
                    if (errorLines.size() < 20) {
                        errorLines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("serve exited before listening; last errors: " + errorLines));
    }

    /** Waits until serve listens; returns its port. */
    int awaitListening(Duration timeout) throws Exception {
        return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long startedNanos() {
        return startedNanos;
    }

    long listeningAtNanos() {
        return listeningAtNanos.get();
    }

    /** When the log first said DELIVERED, or 0. */
    long firstDeliveredAtNanos() {
        return firstDeliveredAtNanos.get();
    }

    /** Alerts done with: finished by a worker, or answered and not queued by the intake's rate limit. */
    long finished() {
        return finished.get();
    }

    /** Alerts the intake answered 202 without queueing them (INTAKE_APP_RATE_LIMIT). */
    long rateLimited() {
        return rateLimited.get();
    }

    /**
     * Waits until {@code finished() >= count}; fails when nothing finishes for {@code stall} (a lost or
     * stuck alert must end the measurement with the reason, not hang it).
     */
    void awaitFinished(long count, Duration stall) throws InterruptedException {
        long last = finished();
        long lastProgress = System.nanoTime();
        while (finished() < count) {
            Thread.sleep(20);
            long now = finished();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                throw new IllegalStateException("serve finished " + now + " of " + count + " alerts and none more in "
                        + stall.toSeconds() + " s; its last lines: " + lastLines());
            }
        }
    }

    /**
     * One line for a bench's output about what serve logged as an error, or null when nothing: how
     * many such lines and the first one, shortened (a recorded run quotes it, and a storm can log
     * thousands).
     */
    String errorSummary() {
        if (errorLines.isEmpty()) {
            return null;
        }
        String first = errorLines.get(0);
        return "serve logged " + errorCount.get() + " line(s) with ERROR or an exception; the first: "
                + (first.length() > 300 ? first.substring(0, 300) + "..." : first);
    }

    List<String> errorLines() {
        return List.copyOf(errorLines);
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no finally block, no claim released. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit by itself; its exit code, or -1 when it is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The last lines serve wrote to stderr. */
    List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /** Heap in use after a full GC, in bytes (jcmd GC.run, then GC.heap_info). */
    long usedHeapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = USED_HEAP.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no 'used' figure in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path java = Path.of(javaBinary());
        Path jcmd = java.getParent() == null ? Path.of("jcmd") : java.getParent().resolve("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        stop(process);
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
