package io.oomresponder.host;

import io.oomresponder.intake.AsciiNames;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.config.Settings;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may use {@code serve} and how a request must look before its body is looked at:
 * the {@code SERVE_API_KEY} (header {@code x-functions-key} or {@code ?code=}, as the Functions host
 * takes its keys), the separate {@code SERVE_REPLAY_DELIVERY_KEY} that lets a replay reach the sinks,
 * the {@code SERVE_ALLOWED_ORIGINS} list (a browser page of another origin must not drive the
 * server), and {@code Content-Type: application/json} on POST (a "simple" cross-site form or
 * {@code text/plain} POST, which browsers send without a preflight, is refused).
 *
 * @param apiKey            the key every POST and the detailed health answer need, or null (loopback only)
 * @param replayDeliveryKey the key (header {@code x-replay-delivery-key}) a replay needs to deliver, or null: replays never deliver
 * @param allowedOrigins    origins (scheme://host[:port], ASCII lower case) whose requests are served; a request with any other Origin gets 403
 */
public record ServeAccess(String apiKey, String replayDeliveryKey, Set<String> allowedOrigins) {

    static final String API_KEY = "SERVE_API_KEY";
    /** The setting that holds the replay delivery key. */
    public static final String REPLAY_DELIVERY_KEY = "SERVE_REPLAY_DELIVERY_KEY";
    static final String ALLOWED_ORIGINS = "SERVE_ALLOWED_ORIGINS";
    /** The request header that carries the replay delivery key. */
    public static final String REPLAY_DELIVERY_HEADER = "x-replay-delivery-key";

    /** Blank keys mean no key. */
    public ServeAccess {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        replayDeliveryKey = replayDeliveryKey == null || replayDeliveryKey.isBlank() ? null : replayDeliveryKey;
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** No key, no origin allowed, replays never deliver. */
    public static ServeAccess keyless() {
        return new ServeAccess(null, null, Set.of());
    }

    /** This API key, no origin allowed, replays never deliver. */
    public static ServeAccess withKey(String apiKey) {
        return new ServeAccess(apiKey, null, Set.of());
    }

    /** From {@code SERVE_API_KEY}, {@code SERVE_REPLAY_DELIVERY_KEY} and {@code SERVE_ALLOWED_ORIGINS}. */
    public static ServeAccess fromSettings(Settings settings) {
        Set<String> origins = Arrays.stream(settings.get(ALLOWED_ORIGINS, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(ServeAccess::origin).collect(Collectors.toUnmodifiableSet());
        return new ServeAccess(settings.get(API_KEY).orElse(null), settings.get(REPLAY_DELIVERY_KEY).orElse(null), origins);
    }

    private static String origin(String s) {
        if (!AsciiNames.isAscii(s)) {
            throw new IllegalArgumentException(ALLOWED_ORIGINS + " must be ASCII origins such as https://portal.example.com");
        }
        String o = AsciiNames.lower(s);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** Whether requests must carry the API key. */
    public boolean keyRequired() {
        return apiKey != null;
    }

    /**
     * Why this request is refused before its body matters, or empty: 403 for a foreign Origin, 401
     * for a missing or wrong key, 415 for a POST that is not JSON.
     *
     * @param headers request headers, names case-insensitive
     */
    Optional<HttpAnswer> refusal(String method, Map<String, String> headers, String rawQuery) {
        String origin = headers.get("Origin");
        if (origin != null && !allowedOrigins.contains(AsciiNames.lower(origin.trim()))) {
            return Optional.of(HttpAnswer.error(403, "requests from this Origin are refused; list it in " + ALLOWED_ORIGINS, "Origin"));
        }
        if (!method.equals("POST")) {
            return Optional.empty();
        }
        if (apiKey != null && !keyMatches(apiKey, key(headers, rawQuery))) {
            return Optional.of(HttpAnswer.unauthorized());
        }
        if (!isJson(headers.get("Content-Type"))) {
            return Optional.of(HttpAnswer.error(415, "Content-Type must be application/json", "Content-Type"));
        }
        return Optional.empty();
    }

    /** Whether the request carries the API key (the detailed health answer needs it; never true without a key set). */
    boolean hasApiKey(Map<String, String> headers, String rawQuery) {
        return apiKey != null && keyMatches(apiKey, key(headers, rawQuery));
    }

    /** Whether this replay request may deliver: the delivery key is set and the request carries it. */
    boolean mayDeliverReplays(Map<String, String> headers) {
        return replayDeliveryKey != null && keyMatches(replayDeliveryKey, headers.get(REPLAY_DELIVERY_HEADER));
    }

    /** {@code application/json} or a JSON suffix type ({@code application/cloudevents+json}, {@code application/cloudevents-batch+json}), any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = AsciiNames.lower((semi < 0 ? contentType : contentType.substring(0, semi)).trim());
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json") && type.indexOf('/') == type.lastIndexOf('/'));
    }

    private static String key(Map<String, String> headers, String rawQuery) {
        String given = headers.get("x-functions-key");
        return given != null ? given : queryParameter(rawQuery, "code");
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean keyMatches(String expected, String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
