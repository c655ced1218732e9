package io.oomresponder.pipeline;

/**
 * What a {@code POST /api/replay} caller may do. Rendering a note is harmless; sending it reaches
 * Teams, tickets and on-call, so delivery needs its own permission: {@code serve}'s
 * {@code SERVE_REPLAY_DELIVERY_KEY}, or the admin-level {@code ReplayDeliver} Function with
 * {@code REPLAY_DELIVERY_ENABLED=true}. Both are off by default.
 */
public enum ReplayPermission {
    /** The note is rendered and returned; {@code "deliver": true} is refused with 403. */
    DRY_RUN_ONLY,
    /** {@code "deliver": true} sends the note (never to a paging sink unless the request names it). */
    MAY_DELIVER
}
