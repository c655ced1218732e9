package io.oomresponder.delivery;

import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.note.SampleDiagnoses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Rendered notes for sink tests (rendered once: the renderer is the slow part). */
public final class Notes {

    private static RenderedNote leak;
    private static RenderedNote leakResolved;
    private static RenderedNote leakUpdate;

    private Notes() {
    }

    public static synchronized RenderedNote leak() {
        if (leak == null) {
            leak = new NoteRenderer().render(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(), NoteContext.newIncident());
        }
        return leak;
    }

    public static synchronized RenderedNote leakUpdate() {
        if (leakUpdate == null) {
            leakUpdate = new NoteRenderer().render(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(),
                    NoteContext.newIncident().withKind(RenderedNote.Kind.UPDATE));
        }
        return leakUpdate;
    }

    public static synchronized RenderedNote leakResolved() {
        if (leakResolved == null) {
            leakResolved = new NoteRenderer().render(SampleDiagnoses.bundle("leak-classic.json"), SampleDiagnoses.leak(),
                    NoteContext.newIncident().withKind(RenderedNote.Kind.RESOLUTION).withTimeToResolve(Duration.ofMinutes(95)));
        }
        return leakResolved;
    }

    public static Clock clock() {
        return Clock.fixed(Instant.parse("2026-10-12T13:00:00Z"), ZoneOffset.UTC);
    }

    /** A sink client with a short timeout against the loopback server. */
    public static SinkHttpClient http() {
        return SinkHttpClient.create(Duration.ofSeconds(5), clock());
    }
}
