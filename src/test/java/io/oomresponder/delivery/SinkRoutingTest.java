package io.oomresponder.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkRoutingTest {

    private final List<String> configured = List.of("teams", "jira", "pagerduty", "file");

    @Test
    void firstMatchingRuleWinsByResourceGroupThenTag() {
        SinkRouting routing = SinkRouting.parse("rg:rg-payments -> jira,teams ; tag:team=platform -> pagerduty ; * -> teams", configured);

        assertThat(routing.sinksFor("RG-Payments", Map.of("team", "platform"))).containsExactly("jira", "teams");
        assertThat(routing.sinksFor("rg-other", Map.of("team", "platform"))).containsExactly("pagerduty");
        assertThat(routing.sinksFor("rg-other", Map.of())).containsExactly("teams");
    }

    @Test
    void withoutRulesOrAMatchEverySinkGetsTheNote() {
        assertThat(SinkRouting.parse("", configured).sinksFor("rg", Map.of())).containsExactlyElementsOf(configured);
        assertThat(SinkRouting.parse("rg:a -> jira", configured).sinksFor("b", Map.of())).containsExactlyElementsOf(configured);
    }

    @Test
    void noteRoutesByTheResourceGroupInItsAppId() {
        SinkRouting routing = SinkRouting.parse("rg:rg-apps-eus2 -> file", configured);
        assertThat(routing.sinksFor(Notes.leak())).containsExactly("file");
    }

    @Test
    void unknownSinksAndBadRulesFailAtLoad() {
        assertThatThrownBy(() -> SinkRouting.parse("* -> slack", configured)).hasMessageContaining("slack").hasMessageContaining("not configured");
        assertThatThrownBy(() -> SinkRouting.parse("team=x -> teams", configured)).hasMessageContaining("cannot read rule");
    }
}
