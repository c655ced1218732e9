/**
 * The diagnosis: the memory playbook's flowchart over one evidence bundle. Pure: no I/O, no clock,
 * no randomness; {@link io.oomresponder.diagnosis.Diagnoser#diagnose} takes a bundle and returns a
 * {@link io.oomresponder.diagnosis.Diagnosis}, and every other stage depends on it, never the other way.
 *
 * <p>Series are placed once on an evidence grid as {@code double[]} with NaN for a missing sample.
 * The loops that walk every sample of a replica test NaN as {@code v != v} (and presence as
 * {@code v == v}) rather than with {@code Double.isNaN}: in a fresh JVM, as {@code diagnose} runs,
 * each such loop runs interpreted for its first tens of thousands of samples, where a call per sample
 * was the largest single cost of a week of thirty replicas (docs/performance.md).
 */
package io.oomresponder.diagnosis;
