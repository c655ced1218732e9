/**
 * The incident store: dedupe of alert deliveries, incidents that group repeated alerts for one
 * app, their diagnosis history and recurrence, and notes that could not be delivered yet.
 *
 * <p>{@link io.oomresponder.store.IncidentStore} is the API the pipeline calls; it has two
 * implementations, {@link io.oomresponder.store.TableIncidentStore} (Azure Table storage, all
 * writes conditional) and {@link io.oomresponder.store.InMemoryIncidentStore} ({@code serve}
 * without storage). The grouping rules are the pure {@link io.oomresponder.store.IncidentPolicy};
 * {@link io.oomresponder.store.Redelivery} retries undelivered notes.
 */
package io.oomresponder.store;
