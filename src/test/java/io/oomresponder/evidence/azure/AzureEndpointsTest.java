package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureEndpointsTest {

    @Test
    void publicCloudDefaultsServeMetricsThroughArm() {
        AzureEndpoints e = AzureEndpoints.from(new Settings(Map.of()));

        assertThat(e.resourceManager()).isEqualTo("https://management.azure.com/");
        assertThat(e.logs()).isEqualTo("https://api.loganalytics.io/v1");
        assertThat(e.simulatorMode()).isFalse();
    }

    @Test
    void sovereignCloudsHaveTheirOwnHosts() {
        AzureEndpoints china = AzureEndpoints.from(new Settings(Map.of("AZURE_CLOUD", "AzureChinaCloud")));
        AzureEndpoints gov = AzureEndpoints.from(new Settings(Map.of("AZURE_CLOUD", "AzureUSGovernment")));

        assertThat(china.resourceManager()).isEqualTo("https://management.chinacloudapi.cn/");
        assertThat(gov.logs()).isEqualTo("https://api.loganalytics.us/v1");
        assertThat(gov.resourceManager()).isEqualTo("https://management.usgovcloudapi.net/");
    }

    @Test
    void explicitEndpointsWinAndTheLogsPathGetsItsVersion() {
        AzureEndpoints e = AzureEndpoints.from(new Settings(Map.of(
                "AZURE_RESOURCE_MANAGER_ENDPOINT", "https://arm.contoso.example",
                "AZURE_LOGS_ENDPOINT", "https://logs.contoso.example")));

        assertThat(e.resourceManager()).isEqualTo("https://arm.contoso.example/");
        assertThat(e.logs()).isEqualTo("https://logs.contoso.example/v1");
    }

    @Test
    void theSimulatorCertificateIsRefusedUnlessEveryEndpointIsLoopback() {
        Map<String, String> loopback = Map.of(
                "AZURE_RESOURCE_MANAGER_ENDPOINT", "https://127.0.0.1:8443/",
                "AZURE_AUTHORITY_HOST", "https://localhost:8443/",
                "AZURE_LOGS_ENDPOINT", "https://[::1]:8443/v1",
                "AZURE_SIMULATOR_CERT", "classpath:simulator/fake-azure.pem");
        assertThat(AzureEndpoints.from(new Settings(loopback)).simulatorMode()).isTrue();

        Settings oneReal = new Settings(loopback).with(Map.of("AZURE_LOGS_ENDPOINT", "https://api.loganalytics.io/v1"));
        assertThatThrownBy(() -> AzureEndpoints.from(oneReal)).isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
        Settings namedHost = new Settings(loopback).with(Map.of("AZURE_AUTHORITY_HOST", "https://127.0.0.1.nip.io:8443/"));
        assertThatThrownBy(() -> AzureEndpoints.from(namedHost)).isInstanceOf(IllegalStateException.class);
        Settings defaults = new Settings(Map.of("AZURE_SIMULATOR_CERT", "classpath:simulator/fake-azure.pem"));
        assertThatThrownBy(() -> AzureEndpoints.from(defaults)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void plainHttpAndUnknownCloudsAreConfigurationErrors() {
        assertThatThrownBy(() -> AzureEndpoints.from(new Settings(Map.of("AZURE_LOGS_ENDPOINT", "http://127.0.0.1/v1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> AzureEndpoints.from(new Settings(Map.of("AZURE_CLOUD", "AzureGermanCloud"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AZURE_CLOUD");
    }
}
