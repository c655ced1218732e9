package io.oomresponder.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Short, charset-safe forms of an Azure alert id for places that cannot hold the full ARM id
 * (ticket tags and labels, ServiceNow's 100-character correlation_id, file names). The Azure alert
 * id ends in a GUID that is unique on its own, and is the same on Fired and Resolved.
 */
public final class AlertKeys {

    /** Prefix of tags and labels, so a search never matches a person's own tag. */
    public static final String TAG_PREFIX = "oom-alert-";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private AlertKeys() {
    }

    /** The alert's GUID (lower case) when the id ends in one, otherwise the first 32 hex digits of its SHA-256. */
    public static String shortId(String alertId) {
        String last = alertId.substring(alertId.lastIndexOf('/') + 1);
        if (GUID.matcher(last).matches()) {
            return last.toLowerCase(java.util.Locale.ROOT);
        }
        return sha256Hex(alertId).substring(0, 32);
    }

    /** "oom-alert-&lt;shortId&gt;": a tag/label with only [a-z0-9-]. */
    public static String tag(String alertId) {
        return TAG_PREFIX + shortId(alertId);
    }

    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
