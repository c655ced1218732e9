package io.oomresponder.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {

    @Test
    void outOfRangeOptionsAreUsageErrors() {
        assertThat(Main.run("serve", "--port", "70000")).isEqualTo(2);
        assertThat(Main.run("serve", "--workers", "0")).isEqualTo(2);
        assertThat(Main.run("serve", "--queue-capacity", "0")).isEqualTo(2);
    }

    @Test
    void aClaimLeaseThatCouldOutlastTheQueuesLastDeliveryRefusesToStart() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            io.oomresponder.config.Settings tenMinutes = new io.oomresponder.config.Settings(java.util.Map.of("ALERT_CLAIM_LEASE", "PT10M"));
            assertThat(new picocli.CommandLine(new ServeCommand(tenMinutes)).execute("--port", "0")).isEqualTo(2);
            io.oomresponder.config.Settings shortVisibility = new io.oomresponder.config.Settings(java.util.Map.of());
            assertThat(new picocli.CommandLine(new ServeCommand(shortVisibility)).execute("--port", "0", "--visibility-timeout", "PT10S"))
                    .as("PT1M against 3 × 10 s").isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("ALERT_CLAIM_LEASE PT10M cannot run out", "ALERT_CLAIM_LEASE PT1M");
    }

    @Test
    void helpDescribesTheRoutes() {
        assertThat(Main.run("serve", "--help")).isZero();
    }
}
