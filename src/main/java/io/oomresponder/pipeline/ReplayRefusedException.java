package io.oomresponder.pipeline;

/** A replay request asked for something its caller has no permission for (answered 403). */
public final class ReplayRefusedException extends RuntimeException {

    public ReplayRefusedException(String message) {
        super(message);
    }
}
