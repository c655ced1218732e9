package io.oomresponder.delivery;

/** Proof of one delivery: the sink and its reference for the note (work item id, issue key, ...), or null. */
public record Receipt(String sink, String reference) {
}
