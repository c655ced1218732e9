package io.oomresponder.intake;

import io.oomresponder.config.Settings;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which container apps oom-responder may look at: {@code ALLOWED_SUBSCRIPTIONS} (comma list of
 * subscription GUIDs, or {@code *}) and optionally {@code ALLOWED_RESOURCE_GROUPS} (comma list of
 * names, ASCII case-insensitive; non-ASCII entries are refused at start). An alert outside is ignored before any query is made.
 *
 * <p>In production {@code ALLOWED_SUBSCRIPTIONS} is required: without it every alert is ignored
 * with a reason saying so (an error is logged), rather than failing the HTTP call, which would make
 * the action group back off. "Production" means running under the Azure Functions host or App
 * Service, detected by {@link #isProduction(Settings)}. Elsewhere ({@code serve}, {@code demo},
 * tests) an unset list allows every subscription and {@link #warning()} says so.
 *
 * @param subscriptions  allowed subscription GUIDs (lower case); empty with {@code anySubscription} false means "not configured"
 * @param anySubscription true when {@code *} was set explicitly, or when unset outside production
 * @param resourceGroups allowed resource groups (lower case); empty means any
 * @param configured     false when ALLOWED_SUBSCRIPTIONS was unset
 * @param production     whether the process runs in production
 */
public record ScopeGuard(Set<String> subscriptions, boolean anySubscription, Set<String> resourceGroups,
                         boolean configured, boolean production) {

    public static final String ALLOWED_SUBSCRIPTIONS = "ALLOWED_SUBSCRIPTIONS";
    public static final String ALLOWED_RESOURCE_GROUPS = "ALLOWED_RESOURCE_GROUPS";
    /** Set by the Functions host, in Azure and under Core Tools. */
    public static final String FUNCTIONS_WORKER_RUNTIME = "FUNCTIONS_WORKER_RUNTIME";
    /** Set by App Service for every site, including Function apps and containers hosted there. */
    public static final String WEBSITE_SITE_NAME = "WEBSITE_SITE_NAME";

    public ScopeGuard {
        subscriptions = Set.copyOf(subscriptions);
        resourceGroups = Set.copyOf(resourceGroups);
    }

    /** True under the Functions host or App Service (either variable set). */
    public static boolean isProduction(Settings settings) {
        return settings.get(FUNCTIONS_WORKER_RUNTIME).isPresent() || settings.get(WEBSITE_SITE_NAME).isPresent();
    }

    /** The guard these settings describe. */
    public static ScopeGuard fromSettings(Settings settings) {
        boolean production = isProduction(settings);
        Optional<String> subs = settings.get(ALLOWED_SUBSCRIPTIONS);
        Set<String> groups = list(settings.get(ALLOWED_RESOURCE_GROUPS).orElse(""));
        if (subs.isEmpty()) {
            return new ScopeGuard(Set.of(), !production, groups, false, production);
        }
        Set<String> list = list(subs.get());
        boolean any = list.contains("*");
        return new ScopeGuard(any ? Set.of() : list, any, groups, true, production);
    }

    /** A guard allowing exactly these subscriptions (tests, demo). */
    public static ScopeGuard allowing(String... subscriptionIds) {
        return new ScopeGuard(list(String.join(",", subscriptionIds)), false, Set.of(), true, false);
    }

    /** Why an alert for this app must be ignored, or empty when it is in scope. */
    public Optional<String> refusal(ContainerAppId app) {
        if (!configured && production) {
            return Optional.of(ALLOWED_SUBSCRIPTIONS + " is not set; in production every alert is ignored until it is");
        }
        if (!anySubscription && !subscriptions.contains(app.subscriptionId())) {
            return Optional.of("subscription " + app.subscriptionId() + " is not in " + ALLOWED_SUBSCRIPTIONS);
        }
        if (!resourceGroups.isEmpty() && !resourceGroups.contains(AsciiNames.lower(app.resourceGroup()))) {
            return Optional.of("resource group " + app.resourceGroup() + " is not in " + ALLOWED_RESOURCE_GROUPS);
        }
        return Optional.empty();
    }

    /**
     * Why an alert whose app is known only by name (a workspace-scoped log alert, {@link AppByName})
     * must be ignored at the door: only an unconfigured production guard refuses it there. The worker
     * then looks for the app in {@link #armScopes} alone, so the app it finds is in scope.
     */
    public Optional<String> refusalBeforeResolution() {
        if (!configured && production) {
            return Optional.of(ALLOWED_SUBSCRIPTIONS + " is not set; in production every alert is ignored until it is");
        }
        return Optional.empty();
    }

    /**
     * The ARM scopes an app may be looked for in: each allowed subscription, narrowed to each allowed
     * resource group when that list is set. When any subscription is allowed, {@code subscriptionWhenAny}
     * (the subscription the alert itself names) stands for the list.
     */
    public java.util.List<String> armScopes(String subscriptionWhenAny) {
        java.util.List<String> subs = new java.util.ArrayList<>();
        if (anySubscription) {
            if (subscriptionWhenAny != null) {
                subs.add(AsciiNames.lower(subscriptionWhenAny));
            }
        } else {
            subs.addAll(new java.util.TreeSet<>(subscriptions));
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String sub : subs) {
            if (resourceGroups.isEmpty()) {
                out.add("/subscriptions/" + sub);
            }
            for (String group : new java.util.TreeSet<>(resourceGroups)) {
                out.add("/subscriptions/" + sub + "/resourceGroups/" + group);
            }
        }
        return out;
    }

    /** A line to log at start when the guard is open or unusable, else empty. */
    public Optional<String> warning() {
        if (!configured && production) {
            return Optional.of(ALLOWED_SUBSCRIPTIONS + " is not set: every alert will be ignored. Set it to a comma list of subscription ids (or * to allow all).");
        }
        if (!configured) {
            return Optional.of(ALLOWED_SUBSCRIPTIONS + " is not set: accepting alerts for any subscription (allowed outside production only).");
        }
        return Optional.empty();
    }

    /** One line for start-up logs. */
    public String describe() {
        String subs = anySubscription ? "any subscription" : subscriptions.isEmpty() ? "no subscription" : subscriptions.size() + " subscription(s)";
        String groups = resourceGroups.isEmpty() ? "any resource group" : resourceGroups.size() + " resource group(s)";
        return "scope: " + subs + ", " + groups;
    }

    private static Set<String> list(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    if (!AsciiNames.isAscii(s)) {
                        // Fail at start: a non-ASCII entry can only match through Unicode case folding.
                        throw new IllegalArgumentException(ALLOWED_SUBSCRIPTIONS + " and " + ALLOWED_RESOURCE_GROUPS + " take ASCII names only");
                    }
                    return AsciiNames.lower(s);
                })
                .collect(Collectors.toUnmodifiableSet());
    }
}
