package io.oomresponder.diagnosis;

import java.time.Duration;
import java.time.Instant;

/**
 * The time grid every series is placed on: bucket i covers [start + i·step, start + (i+1)·step).
 *
 * @param start the first bucket's start
 * @param stepSeconds the grain in seconds (the bundle's, or the spacing the samples actually have)
 * @param size number of buckets
 */
record EvidenceGrid(Instant start, long stepSeconds, int size) {

    /** A 30-day window at 1-minute grain is 43 200 buckets; more is not a metric window. */
    static final int MAX_BUCKETS = 200_000;

    static EvidenceGrid of(Instant start, Instant end, Duration step) {
        long s = Math.max(1, step.getSeconds());
        long span = Math.max(0, Duration.between(start, end).getSeconds());
        long size = span / s + 1;
        if (size > MAX_BUCKETS) {
            s = Math.max(s, span / MAX_BUCKETS + 1);
            size = span / s + 1;
        }
        return new EvidenceGrid(start, s, (int) size);
    }

    /** The bucket of an instant, or -1 when outside the grid. */
    int index(Instant t) {
        return index(t.getEpochSecond());
    }

    /** The bucket of an instant given in epoch seconds, or -1 when it falls outside the grid. */
    int index(long epochSecond) {
        long d = epochSecond - start.getEpochSecond();
        if (d < 0) {
            return -1;
        }
        long i = d / stepSeconds;
        return i >= size ? -1 : (int) i;
    }

    /** The bucket nearest an instant, clamped into the grid. */
    int clampedIndex(Instant t) {
        long d = t.getEpochSecond() - start.getEpochSecond();
        long i = Math.floorDiv(d, stepSeconds);
        return (int) Math.max(0, Math.min(size - 1, i));
    }

    Instant time(int index) {
        return start.plusSeconds(index * stepSeconds);
    }

    double stepMinutes() {
        return stepSeconds / 60.0;
    }

    /** Buckets in the given number of minutes, at least 1. */
    int buckets(double minutes) {
        return Math.max(1, (int) Math.round(minutes * 60 / stepSeconds));
    }
}
