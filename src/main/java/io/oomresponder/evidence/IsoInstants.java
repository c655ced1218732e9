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

    /**
     * The same, over {@code n} characters of {@code c} from {@code off}. Straight-line code, no calls on
     * the common path: it runs once per sample, most of it before the JIT has compiled it.
     */
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
        int y0 = c[off] - '0';
        int y1 = c[off + 1] - '0';
        int y2 = c[off + 2] - '0';
        int y3 = c[off + 3] - '0';
        int mo0 = c[off + 5] - '0';
        int mo1 = c[off + 6] - '0';
        int d0 = c[off + 8] - '0';
        int d1 = c[off + 9] - '0';
        int h0 = c[off + 11] - '0';
        int h1 = c[off + 12] - '0';
        int mi0 = c[off + 14] - '0';
        int mi1 = c[off + 15] - '0';
        int s0 = c[off + 17] - '0';
        int s1 = c[off + 18] - '0';
        // A digit is 0..9: neither it nor 9 minus it is negative, so no sign bit in the OR of them all.
        int signs = y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1
                | (9 - y0) | (9 - y1) | (9 - y2) | (9 - y3) | (9 - mo0) | (9 - mo1) | (9 - d0) | (9 - d1)
                | (9 - h0) | (9 - h1) | (9 - mi0) | (9 - mi1) | (9 - s0) | (9 - s1);
        if (signs < 0) {
            return Long.MIN_VALUE;
        }
        int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
        int month = mo0 * 10 + mo1;
        int day = d0 * 10 + d1;
        int hour = h0 * 10 + h1;
        int minute = mi0 * 10 + mi1;
        int second = s0 * 10 + s1;
        if (month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOfMonth(year, month)
                || hour > 23 || minute > 59 || second > 59) {
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
        int era = (y >= 0 ? y : y - 399) / 400; // floor division without a call
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }
}
