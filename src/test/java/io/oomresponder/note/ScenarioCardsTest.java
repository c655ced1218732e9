package io.oomresponder.note;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every simulator scenario's card fits Teams and keeps to Adaptive Card 1.4 (AdaptiveCardRenderTest renders them). */
class ScenarioCardsTest {

    @Test
    void everyScenariosCardIsUnder28KbAndFollowsTheCardRules() {
        Map<String, ObjectNode> cards = ScenarioCards.all();

        assertThat(cards).hasSize(ScenarioCatalog.names().size());
        cards.forEach((name, card) -> {
            assertThat(AdaptiveCard.messageBytes(card)).as(name + " Teams message bytes").isLessThan(28 * 1024);
            assertThat(AdaptiveCardRules.problems(card)).as(name).isEmpty();
            assertThat(card.path("version").asText()).isEqualTo("1.4");
        });
    }
}
