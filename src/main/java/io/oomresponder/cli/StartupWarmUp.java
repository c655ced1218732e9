package io.oomresponder.cli;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Diagnoses and renders one small built-in incident on a background thread when {@code serve}
 * starts, while the main thread builds the Azure clients. The first real alert then finds the
 * diagnosis, the note renderer and the chart (AWT, fonts, PNG encoder: the slowest first-use costs
 * after the SDK's) already loaded and compiled, instead of paying for them in series after its
 * evidence arrives. Nothing leaves the process; a failure only costs the head start.
 */
final class StartupWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);
    /** A small incident: one replica, one hour; enough to load every class the note needs. */
    private static final ScenarioOverrides SMALL = new ScenarioOverrides(Duration.ofHours(1), 1);

    private StartupWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns it. */
    static Thread start() {
        Thread t = new Thread(StartupWarmUp::run, "serve-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    static void run() {
        long t0 = System.nanoTime();
        try {
            EvidenceBundle bundle = ScenarioCatalog.generate("leak/classic", 1, SMALL).truth();
            Diagnosis diagnosis = new Diagnoser().diagnose(bundle);
            new NoteRenderer().render(bundle, diagnosis, NoteContext.newIncident());
            LOG.debug("warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("warm-up skipped: {}", e.toString());
        }
    }
}
