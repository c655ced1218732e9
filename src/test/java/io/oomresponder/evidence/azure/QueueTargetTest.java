package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.ScaleSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which queue a KEDA scale rule names, by KEDA's metadata names (keda.sh scalers). */
class QueueTargetTest {

    private static ScaleSettings.Rule rule(String type, Map<String, String> metadata) {
        return new ScaleSettings.Rule("r", type, metadata);
    }

    @Test
    void eachServiceIsReadFromTheMetadataNamesKedaDocuments() {
        assertThat(QueueTarget.of(rule("azure-servicebus", Map.of("namespace", "sb-shop", "queueName", "orders")))).hasValueSatisfying(t -> {
            assertThat(t.service()).isEqualTo(QueueTarget.Service.SERVICE_BUS);
            assertThat(t.resourceName()).isEqualTo("sb-shop");
            assertThat(t.entity()).isEqualTo("orders");
        });
        assertThat(QueueTarget.of(rule("azure-servicebus", Map.of("namespace", "sb-shop", "topicName", "events", "subscriptionName", "audit"))))
                .hasValueSatisfying(t -> assertThat(t.entity()).as("Azure Monitor splits by topic, not subscription").isEqualTo("events"));
        assertThat(QueueTarget.of(rule("azure-queue", Map.of("accountName", "stjobs", "queueName", "jobs"))))
                .hasValueSatisfying(t -> assertThat(t.service().metricsSubResource).isEqualTo("/queueServices/default"));
        assertThat(QueueTarget.of(rule("azure-eventhub", Map.of("eventHubNamespace", "evh-iot", "eventHubName", "telemetry"))))
                .hasValueSatisfying(t -> assertThat(t.service().metrics).containsExactly("IncomingMessages", "OutgoingMessages"));
        assertThat(QueueTarget.of(rule("AZURE-SERVICEBUS", Map.of("NameSpace", "sb-shop", "QUEUENAME", "orders"))))
                .as("types and metadata names matched regardless of case").isPresent();
    }

    @Test
    void aRuleThatDoesNotNameItsResourceOrEntityYieldsNoTarget() {
        assertThat(QueueTarget.of(rule("azure-servicebus", Map.of("queueName", "orders", "connectionFromEnv", "SB_CONN"))))
                .as("connection string: the namespace is only inside a secret").isEmpty();
        assertThat(QueueTarget.of(rule("azure-eventhub", Map.of("eventHubNamespace", "evh-iot", "connectionFromEnv", "EH_CONN"))))
                .as("the hub is only in the connection string's EntityPath").isEmpty();
        assertThat(QueueTarget.of(rule("azure-queue", Map.of("queueName", "jobs")))).isEmpty();
        assertThat(QueueTarget.of(rule("azure-queue", Map.of("accountName", "stjobs")))).as("storage is account-wide: no queue needed").isPresent();
        assertThat(QueueTarget.of(rule("http", Map.of("concurrentRequests", "10")))).isEmpty();
        assertThat(QueueTarget.of(rule("kafka", Map.of("topic", "orders")))).isEmpty();
    }

    @Test
    void aNameThatIsNotANamespaceNameNeverReachesAQuery() {
        for (String bad : List.of("sb shop", "sb'shop", "$(NAMESPACE)", "sb/other", "", "-sb")) {
            assertThat(QueueTarget.of(rule("azure-servicebus", Map.of("namespace", bad, "queueName", "orders")))).as(bad).isEmpty();
        }
        assertThat(QueueBacklogReader.odata("o'rders")).as("a quote in an entity name is doubled in the OData filter").isEqualTo("o''rders");
    }

    @Test
    void twoRulesOnTheSameQueueAreReadOnce() {
        ScaleSettings scale = new ScaleSettings(1, 5, List.of(
                rule("azure-servicebus", Map.of("namespace", "sb-shop", "queueName", "orders")),
                rule("azure-servicebus", Map.of("namespace", "SB-SHOP", "queueName", "Orders", "messageCount", "10")),
                rule("azure-servicebus", Map.of("namespace", "sb-shop", "queueName", "refunds"))));
        assertThat(QueueTarget.of(scale)).extracting(QueueTarget::entity).containsExactly("orders", "refunds");
    }
}
