package io.oomresponder.diagnosis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Wording of numbers for the steps' answers: percentages, sizes, times. */
final class Narrative {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Narrative() {
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * A figure stated next to the threshold it was compared with: two decimals, or more where two
     * would round it across the threshold ("0.4996 < 0.5", never "0.50 < 0.5").
     */
    static String num(double v, double threshold) {
        return Double.isNaN(v) ? "n/a" : sideKeeping(v, threshold, 1, 2, "");
    }

    /** A share stated next to its threshold, as {@link #num(double, double)}: "79.6%", never "80%" below 80%. */
    static String pct(double share, double threshold) {
        return Double.isNaN(share) ? "n/a" : sideKeeping(share, threshold, 100, 0, "%");
    }

    private static String sideKeeping(double v, double threshold, double scale, int decimals, String unit) {
        for (int d = decimals; d <= decimals + 4; d++) {
            String text = String.format(Locale.ROOT, "%." + d + "f", v * scale);
            double shown = Double.parseDouble(text) / scale;
            if ((shown >= threshold) == (v >= threshold)) {
                return text + unit;
            }
        }
        return String.format(Locale.ROOT, "%." + (decimals + 5) + "f", v * scale) + unit;
    }

    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / (1024 * 1024));
    }

    /** A duration in plain words, rounded: "about 40 min", "about 9 h", "about 3 days". */
    static String about(double minutes) {
        if (Double.isNaN(minutes) || minutes < 0) {
            return "an unknown time";
        }
        if (minutes < 90) {
            return String.format(Locale.ROOT, "about %d min", Math.max(1, Math.round(minutes)));
        }
        double hours = minutes / 60;
        if (hours < 48) {
            return String.format(Locale.ROOT, "about %d h", Math.round(hours));
        }
        return String.format(Locale.ROOT, "about %d days", Math.round(hours / 24));
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** "2026-10-12 14:20–14:45 UTC", or an open range when no latest time is known. */
    static String range(OomProjection p) {
        if (p.latest() == null) {
            return "from " + time(p.earliest()) + " (no upper bound at the slowest plausible rate)";
        }
        String a = time(p.earliest());
        if (p.earliest().getEpochSecond() / 86400 == p.latest().getEpochSecond() / 86400) {
            return a.substring(0, a.length() - 4) + "–" + CLOCK.format(p.latest()) + " UTC";
        }
        return a + " – " + time(p.latest());
    }

    /** Rounds to 4 significant decimals for the JSON numbers of steps. */
    static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 10000) / 10000.0;
    }
}
