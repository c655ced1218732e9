package io.oomresponder.pipeline;

import io.oomresponder.evidence.AppAbsence;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's note about an alert for a container app that ARM says does not exist
 * ({@link AppAbsence}): which alert and rule, what ARM answered, that no incident was opened, and
 * what to change (the rule outlived its app, or names the wrong one). It goes to the
 * {@link OperatorChannel} only, never to an incident sink.
 */
public final class MissingAppNote {

    /** Dedupe-key suffix of these notes (one per reported alert). */
    public static final String KEY_SUFFIX = "|missing-app";

    private MissingAppNote() {
    }

    /**
     * @param alert     the alert
     * @param dedupeKey the alert's dedupe key
     * @param absence   what ARM answered
     * @param period    how long this report stands ({@link OperatorChannel#period()})
     */
    public static RenderedNote render(AlertSignal alert, String dedupeKey, AppAbsence absence, Duration period) {
        String alertId = alert.id() != null ? alert.id() : dedupeKey;
        String app = absence.appResourceId();
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[]{"Alert", alertId});
        facts.add(new String[]{"Rule", alert.rule() == null ? "(not named)" : alert.rule()});
        facts.add(new String[]{"App", app});
        facts.add(new String[]{"ARM answered", absence.detail() == null ? "HTTP 404 " + absence.code() : absence.detail()});
        facts.add(new String[]{"Condition", String.valueOf(alert.condition())});
        facts.add(new String[]{"Fired", String.valueOf(alert.firedAt())});
        List<String> paragraphs = List.of(
                "The alert names a container app that does not exist: Azure Resource Manager answered 404 " + absence.code()
                        + " to the read of the app itself (" + (absence.code().equals("ResourceGroupNotFound")
                        ? "its resource group is not there" : "never created, or deleted") + ").",
                "Nothing can be diagnosed for it, so this is not an incident: no incident was opened and no incident sink was told."
                        + " Further alerts for this app are not reported here again for " + words(period) + ".");
        String fix = "If the app was deleted, delete or disable the alert rules that still name it; if the rule names the wrong app,"
                + " correct its scope. A missing role gives 403 AuthorizationFailed, never this answer.";
        return UnprocessedAlertNote.factNote(alertId, dedupeKey + KEY_SUFFIX, app, alert.severity(),
                "Alert for an app that does not exist: " + name(app), facts, paragraphs, fix);
    }

    private static String words(Duration period) {
        if (period.toHours() > 0 && period.equals(Duration.ofHours(period.toHours()))) {
            return period.toHours() % 24 == 0 ? period.toDays() + (period.toDays() == 1 ? " day" : " days")
                    : period.toHours() + (period.toHours() == 1 ? " hour" : " hours");
        }
        return period.toString();
    }

    private static String name(String resourceId) {
        int slash = resourceId.lastIndexOf('/');
        return slash < 0 ? resourceId : resourceId.substring(slash + 1);
    }
}
