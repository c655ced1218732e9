package io.oomresponder.delivery;

import io.oomresponder.config.Settings;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Reading sink settings with validation at load time: a bad URL or a missing companion setting
 * fails when the app starts, naming the setting, never printing a secret value.
 */
public final class SinkSettings {

    private SinkSettings() {
    }

    /**
     * An optional https URL (http only to loopback, for local tests and the simulator).
     *
     * @param secret true when the URL itself is a credential (signed webhook URLs): errors then
     *               name the setting only
     */
    public static Optional<URI> optionalUrl(Settings settings, String name, boolean secret) {
        return settings.get(name).map(v -> url(name, v, secret));
    }

    public static URI url(String name, String value, boolean secret) {
        String shown = secret ? "(value hidden: secret)" : "'" + value + "'";
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + name + " is not a valid URL " + shown);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
        if (!(scheme.equals("https") || scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException("setting " + name + " must be an https URL " + shown);
        }
        return uri;
    }

    public static String required(Settings settings, String name) {
        return settings.get(name).orElseThrow(() -> new IllegalArgumentException("setting " + name + " is required"));
    }

    public static boolean bool(Settings settings, String name, boolean defaultValue) {
        return settings.get(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("setting " + name + " must be true or false, was '" + v + "'");
        }).orElse(defaultValue);
    }

    /** A URI with a trailing slash removed, for joining paths. */
    public static String base(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
