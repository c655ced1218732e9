package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The shared notifier test kit (after Alertmanager's notify/test): every sink runs the same
 * status-code retry table against the loopback server, and no secret may appear in an error
 * message, its causes, or anything logged while it failed.
 */
public final class NotifierKit {

    /** Statuses of the retry table. */
    public static final List<Integer> STATUSES = List.of(400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504);

    private NotifierKit() {
    }

    /**
     * For each status, makes every endpoint of the server answer it and checks that the sink's
     * failure has the classifier's retryability and reason, and leaks none of the secrets.
     */
    public static void retryTableWithoutSecrets(LoopbackServer server, Supplier<Notifier> notifier, RenderedNote note, String... secrets) {
        for (int status : STATUSES) {
            server.reset();
            server.otherwise(new LoopbackServer.Response(status, "{\"error\":\"nope\",\"echo\":\"" + String.join(" ", secrets) + "\"}",
                    status == 429 || status == 503 ? java.util.Map.of("Retry-After", "7") : java.util.Map.of()));
            String logged = captureStderr(() -> {
                DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> notifier.get().send(note));
                assertThat(e).as("status %s must fail the delivery", status).isNotNull();
                assertThat(e.retryable()).as("retryable for %s", status).isEqualTo(StatusClassifier.retryable(status));
                assertThat(e.reason()).as("reason for %s", status).isEqualTo(StatusClassifier.reason(status));
                assertThat(e.sink()).isEqualTo(notifier.get().name());
                if (status == 429) {
                    assertThat(e.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(7));
                }
                assertNoSecret(e, secrets);
            });
            for (String secret : secrets) {
                assertThat(logged).as("log output for %s", status).doesNotContain(secret);
            }
        }
    }

    /** The exception, its causes and their messages contain none of the secrets. */
    public static void assertNoSecret(Throwable e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t + " " + t.getMessage();
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    /** What was printed on stderr (where slf4j-simple logs) while the action ran. */
    public static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
