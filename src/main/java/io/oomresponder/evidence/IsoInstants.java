package io.oomresponder.evidence;

/**
 * A fast path for the one instant form Azure Monitor and our bundles write,
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}: a bundle of a week of thirty replicas has 1.5 million of them,
 * and {@code Instant.parse} is most of the cost of reading one. Anything else answers
 * {@link Long#MIN_VALUE}, and the caller falls back to the general ISO reader.
 */
final class IsoInstants {

    private IsoInstants() {
    }

    /** Epoch seconds of {@code s} (fraction dropped), or {@link Long#MIN_VALUE} when it is not in the plain UTC form. */
    static long epochSecondOrMin(String s) {
        return epochSecondOrMin(s, 0, s.length());
    }

    /** The same, over {@code len} characters of {@code text} from {@code offset} (the parser's buffer, no String made). */
    static long epochSecondOrMin(CharSequence text, int offset, int len) {
        CharSequence s = offset == 0 && len == text.length() ? text : text.subSequence(offset, offset + len);
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        if (n > 20) {
            if (s.charAt(19) != '.') {
                return Long.MIN_VALUE;
            }
            for (int i = 20; i < n - 1; i++) {
                if (!Character.isDigit(s.charAt(i))) {
                    return Long.MIN_VALUE;
                }
            }
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        return daysSinceEpoch(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
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
