package io.oomresponder.pipeline;

import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.note.RenderedNote;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that keeps every note it took. */
final class RecordingNotifier implements Notifier {

    final List<RenderedNote> notes = new CopyOnWriteArrayList<>();
    private final String name;

    RecordingNotifier() {
        this("recording");
    }

    /** @param name the sink name it answers to (e.g. "pagerduty", to stand for a paging sink) */
    RecordingNotifier(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Receipt send(RenderedNote note) {
        notes.add(note);
        return new Receipt(name(), "rec-" + notes.size());
    }

    long notesFor(String alertId) {
        return notes.stream().filter(n -> n.alertId().equals(alertId)).count();
    }
}
