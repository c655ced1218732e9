package io.oomresponder.intake;

import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeGuardTest {

    static final ContainerAppId APP = ContainerAppId.parse(AlertSamples.APP_ID);

    static ScopeGuard guard(Map<String, String> env) {
        return ScopeGuard.fromSettings(new Settings(env));
    }

    @Test
    void listedSubscriptionIsInScopeOthersAreNot() {
        ScopeGuard g = guard(Map.of("ALLOWED_SUBSCRIPTIONS", " " + AlertSamples.OTHER_SUBSCRIPTION + " , " + AlertSamples.SUBSCRIPTION.toUpperCase()));
        assertThat(g.refusal(APP)).isEmpty();
        assertThat(ScopeGuard.allowing(AlertSamples.OTHER_SUBSCRIPTION).refusal(APP))
                .hasValue("subscription " + AlertSamples.SUBSCRIPTION + " is not in ALLOWED_SUBSCRIPTIONS");
    }

    @Test
    void starAllowsEverySubscriptionOnlyWhenSetExplicitly() {
        assertThat(guard(Map.of("ALLOWED_SUBSCRIPTIONS", "*", "FUNCTIONS_WORKER_RUNTIME", "java")).refusal(APP)).isEmpty();
        assertThat(guard(Map.of("ALLOWED_SUBSCRIPTIONS", "*")).warning()).isEmpty();
    }

    @Test
    void inProductionAnUnsetListIgnoresEveryAlert() {
        ScopeGuard functions = guard(Map.of("FUNCTIONS_WORKER_RUNTIME", "java"));
        ScopeGuard appService = guard(Map.of("WEBSITE_SITE_NAME", "func-oom"));
        assertThat(functions.production()).isTrue();
        assertThat(appService.production()).isTrue();
        assertThat(functions.refusal(APP)).hasValue("ALLOWED_SUBSCRIPTIONS is not set; in production every alert is ignored until it is");
        assertThat(functions.warning()).isPresent();
    }

    @Test
    void outsideProductionAnUnsetListAllowsAllWithAWarning() {
        ScopeGuard serve = guard(Map.of());
        assertThat(serve.production()).isFalse();
        assertThat(serve.refusal(APP)).isEmpty();
        assertThat(serve.warning()).hasValue("ALLOWED_SUBSCRIPTIONS is not set: accepting alerts for any subscription (allowed outside production only).");
    }

    @Test
    void resourceGroupsNarrowTheScopeCaseInsensitively() {
        ScopeGuard g = guard(Map.of("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION, "ALLOWED_RESOURCE_GROUPS", "RG-APPS-EUS2,other"));
        assertThat(g.refusal(APP)).isEmpty();
        ScopeGuard narrow = guard(Map.of("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION, "ALLOWED_RESOURCE_GROUPS", "platform-prod"));
        assertThat(narrow.refusal(APP)).hasValue("resource group rg-apps-eus2 is not in ALLOWED_RESOURCE_GROUPS");
    }

    /** Issue 16.7: {@code toLowerCase} folds the Kelvin sign U+212A to {@code k}, so rg-\u212Aafka passed rg-kafka. */
    @Test
    void aKelvinSignResourceGroupNeverPassesAnAsciiAllowList() throws Exception {
        ScopeGuard kafkaOnly = guard(Map.of("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION, "ALLOWED_RESOURCE_GROUPS", "rg-kafka"));
        String kelvin = AlertSamples.APP_ID.replace("rg-apps-eus2", "rg-\u212Aafka");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerAppId.parse(kelvin))
                .hasMessageContaining("non-ASCII");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContainerAppId(AlertSamples.SUBSCRIPTION, "rg-\u212Aafka", "api-gateway"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(kafkaOnly.refusal(ContainerAppId.parse(AlertSamples.APP_ID.replace("rg-apps-eus2", "RG-KAFKA")))).isEmpty();

        // Through intake: the alert is refused (400), never accepted and gathered from the look-alike group.
        var payload = AlertSamples.containerAppLogV2();
        String json = payload.toString().replace("rg-apps-eus2", "rg-\u212Aafka");
        IntakeResult r = new AlertIntake(kafkaOnly, java.time.Clock.systemUTC())
                .accept(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
        assertThat(r).isInstanceOf(IntakeResult.Rejected.class);
        assertThat(((IntakeResult.Rejected) r).error()).contains("non-ASCII");
    }

    @Test
    void nonAsciiNamesInTheAllowListsAreRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard(Map.of("ALLOWED_SUBSCRIPTIONS", "*", "ALLOWED_RESOURCE_GROUPS", "rg-\u212Aafka")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASCII");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard(Map.of("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION.replace('a', '\u0430'))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
