package io.oomresponder.note;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a note writes numbers: bytes in binary units, durations in words, instants in UTC. */
public final class Quantities {

    private static final double KIB = 1024d;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Quantities() {
    }

    /** 1073741824 -> "1 GiB", 1288490188.8 -> "1.2 GiB", 52428800 -> "50 MiB". */
    public static String bytes(double bytes) {
        double abs = Math.abs(bytes);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = bytes;
        while (Math.abs(v) >= KIB && u < units.length - 1) {
            v /= KIB;
            u++;
        }
        if (abs < KIB) {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        return trim(String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v)) + " " + units[u];
    }

    /** A signed rate: "+45 MiB/h". */
    public static String bytesPerHour(double bytesPerHour) {
        return (bytesPerHour >= 0 ? "+" : "−") + bytes(Math.abs(bytesPerHour)) + "/h";
    }

    /** 0.987 -> "99%". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /**
     * A share as a percent that never rounds across {@code threshold}: 0.897 against 0.9 is "89.7%",
     * not "90%"; otherwise as {@link #percent}.
     */
    public static String percentAgainst(double fraction, double threshold) {
        for (int decimals = 0; decimals <= 3; decimals++) {
            String text = String.format(Locale.ROOT, "%." + decimals + "f", fraction * 100);
            double shown = Double.parseDouble(text) / 100;
            if ((shown >= threshold) == (fraction >= threshold)) {
                return text + "%";
            }
        }
        return String.format(Locale.ROOT, "%.4f%%", fraction * 100);
    }

    /** A number with at most three decimals and no trailing zeros. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return trim(String.format(Locale.ROOT, "%.3f", v));
    }

    /** "2 h 05 min", "40 min", "3 d 4 h". */
    public static String duration(Duration d) {
        long minutes = Math.abs(d.toMinutes());
        String sign = d.isNegative() ? "−" : "";
        if (minutes < 1) {
            return sign + Math.abs(d.toSeconds()) + " s";
        }
        if (minutes < 60) {
            return sign + minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return sign + hours + " h" + (minutes % 60 == 0 ? "" : String.format(Locale.ROOT, " %02d min", minutes % 60));
        }
        return sign + (hours / 24) + " d" + (hours % 24 == 0 ? "" : " " + (hours % 24) + " h");
    }

    /** "14:05 UTC" when on the same day as {@code reference}, otherwise with the date. */
    public static String clock(Instant t, Instant reference) {
        boolean sameDay = reference != null
                && t.atOffset(ZoneOffset.UTC).toLocalDate().equals(reference.atOffset(ZoneOffset.UTC).toLocalDate());
        return sameDay ? CLOCK.format(t) : DATE_CLOCK.format(t);
    }

    /** "2026-10-12 14:05 UTC". */
    public static String dateTime(Instant t) {
        return DATE_CLOCK.format(t);
    }

    private static String trim(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
