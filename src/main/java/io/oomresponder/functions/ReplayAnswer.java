package io.oomresponder.functions;

import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.pipeline.ReplayRefusedException;
import io.oomresponder.pipeline.Responder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** The {@code POST /api/replay} decision, shared by the {@link Replay} Function and {@code serve}. */
public final class ReplayAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayAnswer.class);

    private ReplayAnswer() {
    }

    /**
     * Answers a replay request with {@code replay} (normally {@link Responder#replay}): 200 with the note; 400 for an unusable request; 403 when it asks to deliver without the permission; 413 over {@link AlertIntake#MAX_BODY_BYTES};
     * 500 (logged, without details to the caller) when the pipeline fails.
     */
    public static HttpAnswer of(Function<byte[], String> replay, byte[] body) {
        if (body == null || body.length == 0) {
            return HttpAnswer.error(400, "request body is empty", "body");
        }
        if (body.length > AlertIntake.MAX_BODY_BYTES) {
            return HttpAnswer.error(413, "request body is larger than " + AlertIntake.MAX_BODY_BYTES + " bytes", "body");
        }
        try {
            return new HttpAnswer(200, replay.apply(body), Map.of());
        } catch (ReplayRefusedException e) {
            return HttpAnswer.error(403, e.getMessage(), "deliver");
        } catch (IllegalArgumentException e) {
            return HttpAnswer.error(400, e.getMessage() == null ? "not a usable replay request" : e.getMessage(), "body");
        } catch (RuntimeException e) {
            LOG.error("replay failed", e);
            return HttpAnswer.error(500, "replay failed; see the server's logs", null);
        }
    }
}
