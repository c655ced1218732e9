package io.oomresponder.testing;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness itself: the queue service answers the real client, and a missing install says what to run. */
@ExtendWith(AzuriteExtension.class)
class AzuriteExtensionTest {

    @Test
    void queueServiceTakesAndReturnsAMessage(AzuriteExtension.Azurite azurite) {
        QueueClient queue = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName("harness-check").buildClient();
        queue.createIfNotExists();

        queue.sendMessage("hello");

        assertThat(queue.receiveMessage().getBody().toString()).isEqualTo("hello");
        assertThat(azurite.queueEndpoint()).startsWith("http://127.0.0.1:").endsWith("/devstoreaccount1");
    }

    @Test
    void missingNodeModulesFailsWithTheCommandToRun() {
        assertThatThrownBy(() -> AzuriteExtension.AzuriteProcess.start(Path.of("/nonexistent-project")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Run scripts/prerequisites")
                .hasMessageContaining("/nonexistent-project/node_modules/.bin/azurite");
    }
}
