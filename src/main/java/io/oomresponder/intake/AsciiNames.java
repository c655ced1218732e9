package io.oomresponder.intake;

/**
 * Letter case for Azure names, ASCII only. {@link String#toLowerCase} and
 * {@link String#equalsIgnoreCase} fold Unicode letters too: the Kelvin sign U+212A lower-cases to
 * {@code k}, so {@code rg-\u212Aafka} would match an allow-list entry {@code rg-kafka} while ARM
 * reads a differently spelled group. Names are compared after {@link #lower} and non-ASCII names are
 * refused where they enter ({@link ContainerAppId}, {@link ScopeGuard}).
 */
public final class AsciiNames {

    private AsciiNames() {
    }

    /** True when every character is 7-bit ASCII. */
    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Lower case of A-Z only; every other character is kept as it is. */
    public static String lower(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }

    /** Equal ignoring the case of A-Z only (unlike {@link String#equalsIgnoreCase}, which folds Unicode). */
    public static boolean equalIgnoringCase(String a, String b) {
        return a != null && b != null && lower(a).equals(lower(b));
    }
}
