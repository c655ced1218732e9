package io.oomresponder.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Who the simulated app is: subscription, resource group, region, environment, workspace and the
 * names Container Apps would give its revisions and replicas.
 */
record AppIdentity(
        String subscriptionId,
        String resourceGroup,
        String location,
        String appName,
        String environmentName,
        String workspaceId,
        String registry,
        String imageTag) {

    private static final List<String> APP_NAMES = List.of(
            "api-gateway", "orders-api", "ca-billing-worker", "notif-api", "checkout-web", "inventory-svc",
            "search-indexer", "payments-processor", "report-generator", "image-resizer", "auth-service",
            "catalog-api", "pricing-engine", "ca-ingest-worker", "customer-portal", "shipping-api",
            "events-consumer", "pdf-renderer", "recommendations", "ledger-sync");
    private static final List<String[]> PLACES = List.of(
            new String[]{"rg-apps-eus2", "eastus2", "cae-prod-eus2"},
            new String[]{"platform-prod", "westeurope", "cae-platform-weu"},
            new String[]{"rg-shop-prod-neu", "northeurope", "cae-shop-neu"},
            new String[]{"rg-payments-uks", "uksouth", "cae-payments-uks"},
            new String[]{"rg-core-wus3", "westus3", "cae-core-wus3"},
            new String[]{"rg-apps-aue", "australiaeast", "cae-apps-aue"},
            new String[]{"rg-data-swc", "swedencentral", "cae-data-swc"},
            new String[]{"rg-web-prod", "eastus", "cae-web-prod"});
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    static AppIdentity draw(SplittableRandom rnd) {
        String[] place = PLACES.get(rnd.nextInt(PLACES.size()));
        return new AppIdentity(
                guid(rnd), place[0], place[1],
                APP_NAMES.get(rnd.nextInt(APP_NAMES.size())), place[2], guid(rnd),
                "acr" + token(rnd, 5) + ".azurecr.io",
                (1 + rnd.nextInt(5)) + "." + rnd.nextInt(30) + "." + rnd.nextInt(12));
    }

    String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.App/containerApps/" + appName;
    }

    String environmentId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.App/managedEnvironments/" + environmentName;
    }

    String image() {
        return registry + "/" + appName + ":" + imageTag;
    }

    /** A revision name as Container Apps makes it: {@code <app>--<7 chars>}. */
    String revisionName(SplittableRandom rnd) {
        return appName + "--" + token(rnd, 7);
    }

    /** A replica name: {@code <revision>-<9 chars>-<5 chars>}, the pod name of the metrics. */
    static String replicaName(String revision, String replicaSet, SplittableRandom rnd) {
        return revision + "-" + replicaSet + "-" + token(rnd, 5);
    }

    static String token(SplittableRandom rnd, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }

    static String guid(SplittableRandom rnd) {
        String hex = Long.toHexString(rnd.nextLong() | Long.MIN_VALUE) + Long.toHexString(rnd.nextLong() | Long.MIN_VALUE);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-"
                + "89ab".charAt(rnd.nextInt(4)) + hex.substring(17, 20) + "-" + hex.substring(20, 32);
    }
}
