package io.oomresponder.note;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;

import java.util.LinkedHashMap;
import java.util.Map;

/** The card of every simulator scenario, diagnosed by the real Diagnoser (one seed each). */
final class ScenarioCards {

    static final long SEED = 5;

    private ScenarioCards() {
    }

    static Map<String, ObjectNode> all() {
        Diagnoser diagnoser = new Diagnoser();
        Map<String, ObjectNode> cards = new LinkedHashMap<>();
        for (Scenario scenario : ScenarioCatalog.scenarios()) {
            EvidenceBundle bundle = ScenarioCatalog.generate(scenario, SEED, io.oomresponder.simulator.ScenarioOverrides.NONE).truth();
            NoteContent content = NoteContent.of(bundle, diagnoser.diagnose(bundle), NoteContext.newIncident());
            cards.put("scenario-" + scenario.scenarioName().replace('/', '-'), AdaptiveCard.build(content));
        }
        return cards;
    }
}
