package io.oomresponder.simulator;

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
        return Retargeting.retarget(truth, appId(subscription, group, name), firedAt, environmentId);
    }

    /** A container app's ARM id. */
    public static String appId(String subscription, String group, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/containerApps/" + name;
    }

    /** {@code /subscriptions/S/resourceGroups/G/providers/Microsoft.App/managedEnvironments/N}. */
    public static String environment(String subscription, String group, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.App/managedEnvironments/" + name;
    }
}
