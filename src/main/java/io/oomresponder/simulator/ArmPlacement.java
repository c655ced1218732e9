package io.oomresponder.simulator;

import io.oomresponder.evidence.WorkloadProfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where a simulated app sits in ARM beyond its identity: its tags and its workload profile.
 * Whether an environment has workload profiles at all depends only on the environment's name, so
 * every app of one environment agrees (a Consumption-only environment lists none); in a
 * workload-profiles environment an app runs on Consumption or on one Dedicated profile, whose
 * name and node counts depend only on its type. Drawn from a random stream of its own, so adding
 * it changed none of the scenario model's draws.
 *
 * @param tags                the app's ARM tags
 * @param workloadProfileName the app's workloadProfileName (null in a Consumption-only environment)
 * @param workloadProfile     that profile as the environment declares it
 */
record ArmPlacement(Map<String, String> tags, String workloadProfileName, WorkloadProfile workloadProfile) {

    /** Dedicated types a simulated environment may offer (Learn workload-profiles-overview). */
    private static final List<String> DEDICATED = List.of("D4", "D8", "E4", "E8", "D16", "E16");
    private static final List<String> TEAMS = List.of("payments", "platform", "storefront", "data", "identity");
    private static final List<String> STAGES = List.of("prod", "staging");

    static ArmPlacement draw(AppIdentity app, SplittableRandom rnd) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", TEAMS.get(rnd.nextInt(TEAMS.size())));
        tags.put("env", STAGES.get(rnd.nextInt(STAGES.size())));
        if (rnd.nextInt(3) == 0) {
            tags.put("cost-center", "cc-" + (1000 + rnd.nextInt(9000)));
        }
        boolean profilesEnvironment = Math.floorMod(app.environmentName().hashCode(), 3) != 0;
        if (!profilesEnvironment) {
            return new ArmPlacement(tags, null, null);
        }
        if (rnd.nextInt(5) < 3) {
            return new ArmPlacement(tags, WorkloadProfile.CONSUMPTION,
                    WorkloadProfile.of(WorkloadProfile.CONSUMPTION, WorkloadProfile.CONSUMPTION, null, null));
        }
        String type = DEDICATED.get(rnd.nextInt(DEDICATED.size()));
        String name = "dedicated-" + type.toLowerCase(java.util.Locale.ROOT);
        return new ArmPlacement(tags, name, WorkloadProfile.of(name, type, 1, type.endsWith("16") ? 4 : 10));
    }
}
