package io.oomresponder.host;

import io.oomresponder.config.Settings;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.pipeline.Responder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.2: HTTP/1.1 pipelining and clients that never read. Answers go out in request order;
 * a connection is read only while it has no request in hand and its unflushed answers are under the
 * high water mark; more than {@link ServeLimits#MAX_PIPELINED_REQUESTS} waiting requests close the
 * connection after the kept ones are answered; an answer the client does not take within the write
 * deadline closes the connection. Loopback only, bounded.
 */
class ServePipeliningTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private LocalServer serve(ServeLimits limits) throws Exception {
        InMemoryAlertQueue queue = new InMemoryAlertQueue(100_000, Duration.ofMillis(10));
        LocalServer server = new LocalServer(new InetSocketAddress("127.0.0.1", 0),
                new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()),
                () -> new Responder(new Settings(Map.of())), queue, ServeAccess.keyless(), limits, "oom-responder test");
        server.start();
        open.add(queue);
        open.add(0, server);
        return server;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private static String postAlert(byte[] body) {
        return "POST /api/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        LocalServer server = serve(ServeLimits.defaults());
        byte[] alert = AlertSamples.bytes(AlertSamples.containerAppLogV2());
        List<String> outOfOrder = new ArrayList<>();
        for (int connection = 0; connection < 20; connection++) {
            // Answers of different cost: an alert goes through intake and the queue, a 404 is immediate.
            StringBuilder requests = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                if (i % 3 == 0) {
                    requests.append(postAlert(alert));
                    expected.add("202");
                } else {
                    requests.append(get("/nope-" + connection + "-" + i));
                    expected.add("no route /nope-" + connection + "-" + i + ";");
                }
            }
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(15_000);
                socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                for (int i = 0; i < expected.size(); i++) {
                    String answer = readResponse(in);
                    if (!answer.contains(expected.get(i))) {
                        outOfOrder.add("connection " + connection + ", answer " + i + ": expected " + expected.get(i) + ", got "
                                + answer.lines().findFirst().orElse("") + " " + answer.substring(answer.indexOf("\r\n\r\n") + 4));
                    }
                }
            }
        }
        assertThat(outOfOrder).as("answers out of request order").isEmpty();
    }

    @Test
    void moreThanTheBoundOfWaitingRequestsClosesTheConnectionAfterTheKeptOnesAreAnswered() throws Exception {
        LocalServer server = serve(ServeLimits.defaults());
        int sent = ServeLimits.MAX_PIPELINED_REQUESTS + 40;
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            requests.append(get("/nope-" + i));
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            int answered = 0;
            String answer;
            while ((answer = readResponseOrNull(in)) != null) {
                assertThat(answer).contains("no route /nope-" + answered + ";");
                answered++;
            }
            // The one in hand plus the bound waiting behind it; the rest are the client's to retry.
            assertThat(answered).isBetween(1, ServeLimits.MAX_PIPELINED_REQUESTS + 1);
        }
        assertThat(server.droppedPipelined()).isPositive();
        assertThat(health(server)).isEqualTo(200);
    }

    @Test
    void aClientThatSendsWithoutEverReadingIsNoLongerReadAndIsClosed() throws Exception {
        LocalServer server = serve(new ServeLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 32, 2, 4, Duration.ofSeconds(2),
                ServeLimits.MAX_PIPELINED_REQUESTS));
        // The attack: pipelined health checks (no key needed) on connections that never read.
        byte[] burst = get("/api/health").repeat(1000).getBytes(StandardCharsets.UTF_8);
        List<Long> accepted = new ArrayList<>();
        List<Boolean> closed = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
                ch.configureBlocking(false);
                long total = 0;
                long lastProgress = System.nanoTime();
                boolean wasClosed = false;
                // Up to 32 MB, or until 3 s pass without progress: before issue 26 the server read all of it and buffered every answer.
                while (total < 32L << 20 && System.nanoTime() - lastProgress < 3_000_000_000L) {
                    try {
                        int n = ch.write(ByteBuffer.wrap(burst));
                        if (n > 0) {
                            total += n;
                            lastProgress = System.nanoTime();
                        } else {
                            Thread.sleep(5);
                        }
                    } catch (IOException reset) {
                        wasClosed = true;
                        break;
                    }
                }
                if (!wasClosed) {
                    // Writes stopped making progress: the server no longer reads. It closes the connection once it has
                    // answered what it kept (on a loaded machine this may take a while; nothing here races a clock).
                    ch.configureBlocking(true);
                    ch.socket().setSoTimeout(60_000);
                    try {
                        java.io.InputStream in = ch.socket().getInputStream();
                        byte[] buf = new byte[65536];
                        while (in.read(buf) >= 0) {
                            // The answers serve did write; the connection's end is what this waits for.
                        }
                        wasClosed = true;
                    } catch (IOException reset) {
                        wasClosed = !(reset instanceof java.net.SocketTimeoutException);
                    }
                }
                accepted.add(total);
                closed.add(wasClosed);
            }
        }
        System.out.printf("never-reading clients: bytes the server let in per connection %s, closed by the server %s%n", accepted, closed);
        // Kernel buffers take some (client send + server receive buffers); the server itself took at most one read.
        assertThat(accepted).allMatch(b -> b < 16L << 20);
        assertThat(closed).allMatch(b -> b);
        assertThat(health(server)).isEqualTo(200);
    }

    @Test
    void anAnswerTheClientDoesNotTakeWithinTheWriteDeadlineClosesTheConnection() throws Exception {
        // No pipelining bound here (it would close the connection first): requests sent without reading
        // are answered until the answers fill the socket buffers and one cannot be written.
        LocalServer server = serve(new ServeLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 32, 2, 4, Duration.ofSeconds(1), 1_000_000));
        byte[] batch = get("/api/health").repeat(8).getBytes(StandardCharsets.UTF_8);
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.configureBlocking(false);
            long deadline = System.nanoTime() + 60_000_000_000L;
            boolean closed = false;
            long sent = 0;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    ByteBuffer b = ByteBuffer.wrap(batch);
                    while (b.hasRemaining() && System.nanoTime() < deadline) {
                        if (ch.write(b) == 0) {
                            Thread.sleep(20);
                        }
                    }
                    sent += batch.length;
                    Thread.sleep(1);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            System.out.printf("write deadline: %d bytes of requests sent before the server closed; write timeouts %d, dropped pipelined %d, read timeouts %d%n", sent, server.writeTimedOut(), server.droppedPipelined(), server.timedOut());
            assertThat(closed).isTrue();
        }
        assertThat(server.writeTimedOut()).isPositive();
        assertThat(health(server)).isEqualTo(200);
    }

    private static int health(LocalServer server) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String readResponse(InputStream in) throws IOException {
        String r = readResponseOrNull(in);
        if (r == null) {
            throw new IOException("connection closed before the answer");
        }
        return r;
    }

    /** One HTTP/1.1 answer with a Content-Length body, or null at the end of the stream. */
    static String readResponseOrNull(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return null;
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
