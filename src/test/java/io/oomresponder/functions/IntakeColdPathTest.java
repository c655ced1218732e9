package io.oomresponder.functions;

import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The action group waits 10 seconds, so AlertWebhook's first answer in a cold worker must not wait for
 * heavy classes. A fresh JVM invokes the function the way the Java worker does ({@code cli.WorkerInvocation})
 * against Azurite, logging every class it loads ({@code -Xlog:class+load}); none of the Azure SDK
 * clients, their Netty/Reactor transport, the evidence, diagnosis, note, delivery or store packages
 * may be among them before the 202.
 */
@ExtendWith(AzuriteExtension.class)
class IntakeColdPathTest {

    /** What must not load before the first 202: SDK clients and their transport, and the slow half of the pipeline. */
    static final List<String> FORBIDDEN_PREFIXES = List.of(
            "com.azure.resourcemanager.", "com.azure.monitor.", "com.azure.identity.", "com.microsoft.aad.msal4j.",
            "com.azure.storage.queue.", "com.azure.storage.blob.", "com.azure.data.tables.", "com.azure.core.http.netty.",
            "io.netty.", "reactor.", "org.jfree.",
            "io.oomresponder.evidence.", "io.oomresponder.diagnosis.", "io.oomresponder.note.", "io.oomresponder.delivery.",
            "io.oomresponder.store.", "io.oomresponder.simulator.", "io.oomresponder.pipeline.Responder", "io.oomresponder.pipeline.Wiring");

    private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\] (\\S+) source:");

    @Test
    void firstAlertIsAnswered202WithoutLoadingAnSdkClientChartOrDiagnosisClass(AzuriteExtension.Azurite azurite, @TempDir Path dir) throws Exception {
        var queue = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName("alerts")
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        queue.createIfNotExists();
        queue.clearMessages();
        Path body = dir.resolve("alert.json");
        Files.write(body, AlertSamples.bytes(AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes")));
        Path classes = dir.resolve("classes.txt");

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
                "io.oomresponder.host.WorkerInvocation", AlertWebhook.class.getName(), body.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AzureWebJobsStorage", azurite.connectionString());
        env.put("FUNCTIONS_WORKER_RUNTIME", "java");
        env.put("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(output).as(output).contains("status=202");
        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(classes)) {
            Matcher m = LOADED.matcher(line);
            if (m.find()) {
                loaded.add(m.group(1));
            }
        }
        assertThat(loaded).as("the log lists the function and the intake, so the check below looks at the right run")
                .contains(AlertWebhook.class.getName(), "io.oomresponder.intake.AlertIntake", "io.oomresponder.intake.AlertQueueWriter");
        List<String> forbidden = loaded.stream().filter(c -> FORBIDDEN_PREFIXES.stream().anyMatch(c::startsWith)).toList();
        assertThat(forbidden).as("classes loaded before the first 202 (%d in all)", loaded.size()).isEmpty();

        QueueMessageItem written = queue.receiveMessage();
        assertThat(written).as("the alert is on the alerts queue the RespondToAlert trigger reads").isNotNull();
        assertThat(QueuedAlert.fromJson(written.getBody().toString()).dedupeKey()).isEqualTo(AlertSamples.ALERT_ID + "|Fired");
        queue.deleteMessage(written.getMessageId(), written.getPopReceipt());
    }
}
