package io.oomresponder.simulator;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.EvidenceBundle;

import java.time.Instant;

/** Scenario truths moved to a chosen app id and managed environment, for tests that need several apps in one scope. */
public final class PlacedApps {

    private PlacedApps() {
    }

    /** The scenario's truth as app {@code name} in {@code subscription}/{@code group}, running in {@code environmentId}. */
    public static EvidenceBundle place(String scenario, long seed, String subscription, String group, String name, String environmentId) {
        EvidenceBundle truth = ScenarioCatalog.generate(scenario, seed).truth();
        return place(truth, subscription, group, name, environmentId, truth.alert().firedAt());
    }

    /** As above from a given truth, its alert firing at {@code firedAt}. */
    public static EvidenceBundle place(EvidenceBundle truth, String subscription, String group, String name, String environmentId, Instant firedAt) {
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/containerApps/" + name;
        EvidenceBundle moved = Retargeting.retarget(truth, id, firedAt);
        AppConfig a = moved.app();
        // The workspace customer id is left for the simulator to derive from the environment.
        AppConfig placed = a.withPlace(a.location(), environmentId, null, a.revisions());
        return new EvidenceBundle(moved.schemaVersion(), moved.alert(), moved.window(), placed, moved.replicas(), moved.metrics(),
                moved.systemLogs(), moved.consoleLogs(), moved.gaps());
    }

    /** {@code /subscriptions/S/resourceGroups/G/providers/Microsoft.App/managedEnvironments/N}. */
    public static String environment(String subscription, String group, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/managedEnvironments/" + name;
    }
}
