package io.oomresponder.pipeline;

import io.oomresponder.evidence.AppResolution;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.AppByName;
import io.oomresponder.note.RenderedNote;

import java.util.ArrayList;
import java.util.List;

/**
 * The note for a log alert whose container app could not be found: the alert names the app only by
 * name (a rule scoped to a workspace) and ARM showed no app of that name whose environment sends its
 * logs to the alert's workspace, or several. It names the app, the workspace or environment, every
 * app of that name considered and why it was not taken, and what to change in the rule, so an alert
 * is never dropped silently.
 */
public final class UnresolvedAppNote {

    /** Dedupe-key suffix of these notes. */
    public static final String KEY_SUFFIX = "|unresolved";

    private UnresolvedAppNote() {
    }

    /** @param dedupeKey the alert's dedupe key */
    public static RenderedNote render(AlertSignal alert, String dedupeKey, AppResolution resolution) {
        String name = AppByName.appName(alert).orElse("(no name)");
        String alertId = alert.id() != null ? alert.id() : dedupeKey;
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[]{"Alert", alertId});
        facts.add(new String[]{"Rule", alert.rule() == null ? "(not named)" : alert.rule()});
        facts.add(new String[]{"App name", name});
        AppByName.environmentName(alert).ifPresent(e -> facts.add(new String[]{"Environment name", e}));
        facts.add(new String[]{"Alert target", alert.targetResourceId()});
        facts.add(new String[]{"Condition", String.valueOf(alert.condition())});
        facts.add(new String[]{"Fired", String.valueOf(alert.firedAt())});
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add("No note about the app could be made: " + resolution.problem() + ".");
        if (resolution.candidates().isEmpty()) {
            paragraphs.add("No container app of that name was found in the allowed scope.");
        } else {
            paragraphs.add("Apps of that name considered: " + String.join("; ", resolution.candidates()) + ".");
        }
        String fix = "Split the log alert rule so that it says which app: declare ContainerAppName and EnvironmentName as dimensions,"
                + " or set _ResourceId to the app's id in the query and declare _ResourceId (docs/deploy.md, \"Log alert rules\").";
        return UnprocessedAlertNote.factNote(alertId, dedupeKey + KEY_SUFFIX, null, alert.severity(),
                "Log alert about app " + name + ": app not found", facts, paragraphs, fix);
    }
}
