package io.oomresponder.intake;

import io.oomresponder.pipeline.Settings;
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
}
