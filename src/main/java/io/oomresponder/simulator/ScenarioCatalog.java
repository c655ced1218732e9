package io.oomresponder.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The scenarios of the model and the way to generate one: {@code generate("leak/classic", 42)}
 * gives the same incident every time, on any machine.
 */
public final class ScenarioCatalog {

    private ScenarioCatalog() {
    }

    /** All scenarios, in catalog order (families together). */
    public static List<Scenario> scenarios() {
        return List.of(Scenario.values());
    }

    /** The scenario names, e.g. {@code leak/classic}. */
    public static List<String> names() {
        return Arrays.stream(Scenario.values()).map(Scenario::scenarioName).toList();
    }

    /**
     * The scenario with this name.
     *
     * @throws IllegalArgumentException naming the valid scenarios when there is none
     */
    public static Scenario scenario(String name) {
        Objects.requireNonNull(name, "name");
        return Scenario.byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown scenario '" + name + "'; valid scenarios: " + String.join(", ", names())));
    }

    /** Generates the scenario for this seed with seeded window length and replica count. */
    public static SimulatedIncident generate(String scenario, long seed) {
        return generate(scenario(scenario), seed, ScenarioOverrides.NONE);
    }

    /** Generates the scenario for this seed, overriding window length and/or replica count. */
    public static SimulatedIncident generate(String scenario, long seed, ScenarioOverrides overrides) {
        return generate(scenario(scenario), seed, overrides);
    }

    public static SimulatedIncident generate(Scenario scenario, long seed, ScenarioOverrides overrides) {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(overrides, "overrides");
        return IncidentSimulator.simulate(scenario, seed, overrides);
    }

    /** One line per scenario: name and description, aligned. */
    public static String listing() {
        int width = names().stream().mapToInt(String::length).max().orElse(0);
        return Arrays.stream(Scenario.values())
                .map(s -> String.format("%-" + width + "s  %s", s.scenarioName(), s.description()))
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
