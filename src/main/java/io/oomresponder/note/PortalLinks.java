package io.oomresponder.note;

import io.oomresponder.evidence.EvidenceWindow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Azure portal links for a note: the app, its metrics, the Log Analytics query, the alert. */
public final class PortalLinks {

    /** The public cloud portal. */
    public static final String PORTAL = "https://portal.azure.com";

    private PortalLinks() {
    }

    /** Links in the order a reader wants them; the alert link only when the alert id is known. */
    public static List<NoteContent.Link> of(String appResourceId, String alertId, String logQuery, EvidenceWindow window) {
        List<NoteContent.Link> links = new ArrayList<>();
        String id = resourcePath(appResourceId);
        links.add(new NoteContent.Link("App", PORTAL + "/#@/resource" + id + "/overview"));
        links.add(new NoteContent.Link("Metrics", PORTAL + "/#@/resource" + id + "/metrics"));
        links.add(new NoteContent.Link("Logs query", PORTAL + "/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/"
                + encode(id) + "/source/LogsBlade.AnalyticsShareLinkToQuery/query/" + encode(logQuery)
                + "/timespan/" + encode(window.start() + "/" + window.end())));
        if (alertId != null && alertId.startsWith("/subscriptions/")) {
            links.add(new NoteContent.Link("Alert", PORTAL + "/#blade/Microsoft_Azure_Monitoring/AlertDetailsTemplateBlade/alertId/" + encode(alertId)));
        }
        return links;
    }

    /** An ARM id with anything outside its alphabet percent-encoded, so it cannot break out of the URL. */
    static String resourcePath(String resourceId) {
        StringBuilder b = new StringBuilder();
        String id = resourceId.startsWith("/") ? resourceId : "/" + resourceId;
        for (char c : id.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || "/-_.()".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append(encode(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
