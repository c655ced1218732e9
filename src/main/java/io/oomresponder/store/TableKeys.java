package io.oomresponder.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns arbitrary strings (ARM resource ids, alert ids, dedupe keys) into valid Azure Table
 * PartitionKey/RowKey values, and OData filter literals.
 *
 * <p>Table keys may not contain {@code / \ # ?} or control characters (U+0000–U+001F,
 * U+007F–U+009F) and are limited to 1 KiB. Those characters, and {@code %} itself, are
 * percent-encoded as UTF-8 ({@code /} becomes {@code %2F}), so the encoding is reversible and
 * keys stay readable in Storage Explorer. A key whose encoding is longer than
 * {@link #MAX_READABLE_KEY_CHARS} keeps its first part and ends with a SHA-256 of the whole, so
 * distinct inputs still get distinct keys.
 */
public final class TableKeys {

    /** Longer encodings are shortened (the service limit is 1 KiB, i.e. 512 UTF-16 chars). */
    static final int MAX_READABLE_KEY_CHARS = 400;
    private static final int KEPT_PREFIX_CHARS = 300;

    private TableKeys() {
    }

    /** A valid table key for {@code value}, readable and reversible unless shortened. */
    public static String encode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (mustEscape(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate is not valid UTF-16 on the wire: encode it as the replacement character.
                out.append("%EF%BF%BD");
            } else {
                out.append(c);
            }
        }
        if (out.length() <= MAX_READABLE_KEY_CHARS) {
            return out.toString();
        }
        return out.substring(0, KEPT_PREFIX_CHARS) + "~" + sha256Hex(value);
    }

    /** The inverse of {@link #encode} for keys that were not shortened. */
    public static String decode(String key) {
        var bytes = new java.io.ByteArrayOutputStream(key.length());
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '%' && i + 2 < key.length()) {
                bytes.write(Integer.parseInt(key.substring(i + 1, i + 3), 16));
                i += 2;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** {@code value} as an OData string literal, quotes doubled: {@code 'it''s'}. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** First 16 hex digits of the SHA-256 of {@code value}: short stable ids. */
    static String shortHash(String value) {
        return sha256Hex(value).substring(0, 16);
    }

    static String sha256Hex(String value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean mustEscape(char c) {
        return c == '/' || c == '\\' || c == '#' || c == '?' || c == '%'
                || c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }
}
