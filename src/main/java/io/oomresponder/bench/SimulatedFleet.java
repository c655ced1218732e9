package io.oomresponder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Many simulated container apps served by one fake Azure, and the alert payloads a storm or a long
 * run sends for them: each app's own scenario alert with a fresh alert id and a firing time moved
 * by a given offset. Used by the storm and footprint benchmarks and by their tests.
 */
public final class SimulatedFleet implements AutoCloseable {

    /** How long after the latest firing the simulated "now" sits, as when a real alert is handled. */
    static final Duration HANDLED_AFTER_FIRING = Duration.ofMinutes(6);

    /** Scenarios a bad deployment produces: leaks, peaks and crashes, in turn (unknown names are skipped). */
    static final List<String> STORM_SCENARIOS = List.of("leak/classic", "leak/gc-wiggle", "peak/spike",
            "other/apperror", "leak/slow");

    private final List<SimulatedIncident> apps;
    private final FakeAzure azure;
    private final Clock clock;

    private SimulatedFleet(List<SimulatedIncident> apps, FakeAzure azure, Clock clock) {
        this.apps = apps;
        this.azure = azure;
        this.clock = clock;
    }

    /**
     * Generates {@code count} apps (scenarios in turn, seeds {@code seed, seed+1, ...}) and serves
     * them. With {@code clock} null, the simulated now is fixed a little after the latest firing.
     */
    public static SimulatedFleet start(int count, long seed, List<String> scenarios, Clock clock) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one app, was " + count);
        }
        List<SimulatedIncident> apps = new ArrayList<>();
        List<String> known = ScenarioCatalog.names();
        List<String> usable = scenarios.stream().filter(known::contains).toList();
        if (usable.isEmpty()) {
            usable = known;
        }
        for (int i = 0; i < count; i++) {
            apps.add(ScenarioCatalog.generate(usable.get(i % usable.size()), seed + i));
        }
        Clock now = clock != null ? clock : Clock.fixed(apps.stream().map(a -> a.truth().alert().firedAt())
                .max(Instant::compareTo).orElseThrow().plus(HANDLED_AFTER_FIRING), ZoneOffset.UTC);
        List<EvidenceBundle> truths = apps.stream().map(SimulatedIncident::truth).toList();
        return new SimulatedFleet(List.copyOf(apps), FakeAzure.start(truths, 0, now), now);
    }

    int size() {
        return apps.size();
    }

    FakeAzure azure() {
        return azure;
    }

    /** The fleet's clock: alerts fire relative to it. */
    public Clock clock() {
        return clock;
    }

    SimulatedIncident app(int i) {
        return apps.get(i);
    }

    String appResourceId(int i) {
        return apps.get(i).truth().app().resourceId();
    }

    /** The settings that point the SDK clients at the fake and allow every app's subscription. */
    Map<String, String> settingValues() {
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", apps.stream().map(a -> a.truth().app().subscriptionId())
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().collect(Collectors.joining(",")));
        return values;
    }

    /** Settings that point the evidence clients at this fleet's fake Azure. */
    public Settings settings() {
        return new Settings(settingValues());
    }

    /**
     * App {@code i}'s alert as a distinct notification number {@code n}: its own alert id (stable for
     * the same i and n, so a resend is a duplicate) and its firing time moved by {@code firedOffset}.
     */
    public byte[] payload(int i, int n, Duration firedOffset) {
        JsonNode original = apps.get(i).alertPayload();
        ObjectNode copy = original.deepCopy();
        ObjectNode essentials = (ObjectNode) copy.path("data").path("essentials");
        String alertId = essentials.path("alertId").asText();
        String prefix = alertId.substring(0, alertId.lastIndexOf('/') + 1);
        UUID id = UUID.nameUUIDFromBytes((alertId + "#" + n).getBytes(StandardCharsets.UTF_8));
        essentials.put("alertId", prefix + id);
        Instant fired = Instant.parse(essentials.path("firedDateTime").asText()).plus(firedOffset);
        essentials.put("firedDateTime", fired.toString());
        try {
            return Json.mapper().writeValueAsBytes(copy);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert payload of app {@code i} as the simulator wrote it. */
    byte[] originalPayload(int i) {
        return payload(i, 0, Duration.ZERO);
    }

    @Override
    public void close() {
        azure.close();
    }

    @Override
    public String toString() {
        return "SimulatedFleet[" + apps.size() + " apps at " + Objects.toString(azure.baseUrl()) + "]";
    }
}
