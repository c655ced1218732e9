package io.oomresponder.evidence;

import java.time.Instant;

/**
 * A fast path for the one instant form Azure Monitor and our bundles write,
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}: a bundle of a week of thirty replicas has 1.8 million of them,
 * and {@code Instant.parse} (with a String per sample) was most of the cost of reading one. It reads the
 * parser's own character buffer. Anything else answers {@link Long#MIN_VALUE}, and the caller falls back
 * to the general ISO reader.
 */
final class IsoInstants {

    private static final int[] NANOS_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoInstants() {
    }

    /**
     * The instant of {@code n} characters of {@code c} from {@code off}, fraction kept (up to nine
     * digits, as {@code Instant.parse} reads), or null when it is not in the plain UTC form.
     */
    static Instant instantOrNull(char[] c, int off, int n) {
        long seconds = epochSecondOrMin(c, off, n);
        if (seconds == Long.MIN_VALUE) {
            return null;
        }
        int digits = n - 21; // "yyyy-MM-ddTHH:mm:ss." is 20 characters, 'Z' one
        if (digits <= 0) {
            return n == 20 ? Instant.ofEpochSecond(seconds) : null;
        }
        if (digits > 9) {
            return null;
        }
        int fraction = digits(c, off + 20, digits);
        return Instant.ofEpochSecond(seconds, (long) fraction * NANOS_SCALE[digits]);
    }

    /** Epoch seconds of {@code s} (fraction dropped), or {@link Long#MIN_VALUE} when it is not in the plain UTC form. */
    static long epochSecondOrMin(String s) {
        return epochSecondOrMin(s.toCharArray(), 0, s.length());
    }

    /** The same, over {@code n} characters of {@code c} from {@code off}. */
    static long epochSecondOrMin(char[] c, int off, int n) {
        if (n < 20 || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':'
                || c[off + 16] != ':' || c[off + n - 1] != 'Z') {
            return Long.MIN_VALUE;
        }
        if (n > 20) {
            if (c[off + 19] != '.') {
                return Long.MIN_VALUE;
            }
            for (int i = 20; i < n - 1; i++) {
                char d = c[off + i];
                if (d < '0' || d > '9') {
                    return Long.MIN_VALUE;
                }
            }
        }
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int second = digits(c, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        return daysSinceEpoch(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private static int digits(char[] c, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char d = c[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 (the proleptic Gregorian calendar, as java.time counts). */
    private static long daysSinceEpoch(int year, int month, int day) {
        // Howard Hinnant's days_from_civil.
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }
}
