package io.oomresponder.evidence;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a Kubernetes-style memory quantity as Container Apps writes it ({@code "1.5Gi"},
 * {@code "512Mi"}, {@code "2G"}) into bytes: binary suffixes Ki/Mi/Gi/Ti are powers of 1024,
 * decimal k/M/G/T powers of 1000.
 */
public final class MemoryQuantity {

    private static final Pattern QUANTITY = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTkmgt][iI]?)?\\s*");

    private MemoryQuantity() {
    }

    /** The quantity in bytes (rounded to a whole byte), or null when it is null or not a quantity. */
    public static Long bytes(String quantity) {
        if (quantity == null) {
            return null;
        }
        Matcher m = QUANTITY.matcher(quantity);
        if (!m.matches()) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        // Binary suffixes read case-insensitively; a lone lower-case "m" is Kubernetes' milli,
        // which no memory limit uses, so it is not a quantity we accept.
        long multiplier = switch (suffix.endsWith("i") || suffix.endsWith("I") ? suffix.toLowerCase(Locale.ROOT) : suffix) {
            case "" -> 1L;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G", "g" -> 1_000_000_000L;
            case "T", "t" -> 1_000_000_000_000L;
            case "ki" -> 1L << 10;
            case "mi" -> 1L << 20;
            case "gi" -> 1L << 30;
            case "ti" -> 1L << 40;
            default -> -1L;
        };
        if (multiplier < 0) {
            return null;
        }
        return number.multiply(BigDecimal.valueOf(multiplier)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }
}
