package io.oomresponder.evidence;

import java.util.List;
import java.util.Objects;

/**
 * What looking up the container app of an alert that names it only by name found (a log search
 * alert scoped to a workspace): the one app, or why there is none, with the apps that came close.
 *
 * @param appResourceId the app's ARM id, or null when not resolved
 * @param environmentId the app's managed environment, or null
 * @param candidates    apps of that name that were considered, each with why it was or was not taken ("name (environment e): ...")
 * @param problem       why no single app was found, or null when resolved
 */
public record AppResolution(String appResourceId, String environmentId, List<String> candidates, String problem) {

    public AppResolution {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if ((appResourceId == null) == (problem == null)) {
            throw new IllegalArgumentException("either an app or a problem");
        }
    }

    /** The one app found. */
    public static AppResolution of(String appResourceId, String environmentId, List<String> candidates) {
        return new AppResolution(Objects.requireNonNull(appResourceId, "appResourceId"), environmentId, candidates, null);
    }

    /** No single app: why, and what was considered. */
    public static AppResolution unresolved(String problem, List<String> candidates) {
        return new AppResolution(null, null, candidates, Objects.requireNonNull(problem, "problem"));
    }

    public boolean resolved() {
        return appResourceId != null;
    }
}
