package io.oomresponder.simulator.azure;

import com.sun.net.httpserver.HttpExchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Blob service operations the chart links use, under the account {@link #ACCOUNT}
 * (path-style, as the SDK addresses an IP endpoint): Create Container, Put Blob (block blob),
 * Get User Delegation Key and Get Blob. Writes and the delegation key need a bearer token;
 * a blob is read with a bearer token or a user-delegation SAS whose signature the simulator
 * checks with the key it issued (HMAC-SHA256 over the string-to-sign of the SAS version), and
 * whose permissions, protocol, resource and times it checks as the service does. Anonymous
 * reads of the private container are refused. Sources: docs/azure-contract.md (blob lines).
 */
final class BlobResponder {

    /** The simulated storage account. */
    static final String ACCOUNT = "simcharts";
    /** Get User Delegation Key: the key may be valid for at most seven days from now. */
    static final Duration MAX_KEY_LIFETIME = Duration.ofDays(7);
    private static final String SERVICE_VERSION = "2026-04-06";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;
    private static final Pattern XML_START = Pattern.compile("<Start>([^<]+)</Start>");
    private static final Pattern XML_EXPIRY = Pattern.compile("<Expiry>([^<]+)</Expiry>");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Stored> blobs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> containers = new ConcurrentHashMap<>();
    /** Issued delegation keys by their signed expiry + object id (what a SAS names), with the secret. */
    private final Map<String, IssuedKey> keys = new ConcurrentHashMap<>();

    private record Stored(byte[] data, String contentType) {
    }

    private record IssuedKey(String oid, String tid, String start, String expiry, String version, byte[] secret) {
    }

    /** The reply: status, headers, body bytes. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    BlobResponder(Clock clock) {
        this.clock = clock;
    }

    static boolean handles(String rawPath) {
        return rawPath.equals("/" + ACCOUNT) || rawPath.startsWith("/" + ACCOUNT + "/");
    }

    /** The bytes stored for a blob, or null (tests). */
    byte[] blob(String container, String name) {
        Stored s = blobs.get(container + "/" + name);
        return s == null ? null : s.data();
    }

    Answer answer(HttpExchange ex, String method, String rawPath, Map<String, String> query, byte[] body) {
        List<String> seg = List.of(rawPath.substring(1).split("/", 3));
        boolean bearer = bearer(ex.getRequestHeaders().getFirst("Authorization"));
        if (seg.size() == 1 || seg.get(1).isEmpty()) {
            if (method.equals("POST") && "service".equals(query.get("restype")) && "userdelegationkey".equals(query.get("comp"))) {
                if (!bearer) {
                    // Get User Delegation Key: "must be authorized with Microsoft Entra ID".
                    return error(403, "AuthorizationFailure", "This request is not authorized to perform this operation.");
                }
                return delegationKey(new String(body, StandardCharsets.UTF_8));
            }
            return error(400, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");
        }
        String container = FakeAzure.percentDecode(seg.get(1));
        if (seg.size() == 2) {
            if (method.equals("PUT") && "container".equals(query.get("restype"))) {
                if (!bearer) {
                    return error(401, "NoAuthenticationInformation", "Server failed to authenticate the request.");
                }
                if (containers.putIfAbsent(container, Boolean.TRUE) != null) {
                    return error(409, "ContainerAlreadyExists", "The specified container already exists.");
                }
                return new Answer(201, Map.of("ETag", "\"0x1\"", "Last-Modified", now()), new byte[0]);
            }
            return error(400, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");
        }
        String name = FakeAzure.percentDecode(seg.get(2));
        String key = container + "/" + name;
        switch (method) {
            case "PUT" -> {
                if (!bearer) {
                    return error(401, "NoAuthenticationInformation", "Server failed to authenticate the request.");
                }
                if (!containers.containsKey(container)) {
                    return error(404, "ContainerNotFound", "The specified container does not exist.");
                }
                if (!"BlockBlob".equals(ex.getRequestHeaders().getFirst("x-ms-blob-type"))) {
                    return error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.");
                }
                String type = ex.getRequestHeaders().getFirst("x-ms-blob-content-type");
                blobs.put(key, new Stored(body, type == null ? "application/octet-stream" : type));
                return new Answer(201, Map.of("ETag", "\"0x" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"",
                        "Last-Modified", now(), "Content-MD5", Base64.getEncoder().encodeToString(md5(body)),
                        "x-ms-request-server-encrypted", "true"), new byte[0]);
            }
            case "GET", "HEAD" -> {
                if (!bearer) {
                    String refused = sasProblem(query, "/blob/" + ACCOUNT + "/" + container + "/" + name);
                    if (refused != null) {
                        return query.containsKey("sig") ? error(403, "AuthenticationFailed", refused)
                                : error(404, "ResourceNotFound", "The specified resource does not exist.");
                    }
                }
                Stored s = blobs.get(key);
                if (s == null) {
                    return error(404, "BlobNotFound", "The specified blob does not exist.");
                }
                return new Answer(200, Map.of("Content-Type", s.contentType(), "x-ms-blob-type", "BlockBlob", "Last-Modified", now()),
                        method.equals("HEAD") ? new byte[0] : s.data());
            }
            default -> {
                return error(400, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");
            }
        }
    }

    private Answer delegationKey(String xml) {
        Matcher start = XML_START.matcher(xml);
        Matcher expiry = XML_EXPIRY.matcher(xml);
        if (!expiry.find()) {
            return error(400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
        }
        Instant now = clock.instant();
        Instant end;
        Instant begin;
        try {
            end = Instant.parse(expiry.group(1));
            begin = start.find() ? Instant.parse(start.group(1)) : now;
        } catch (RuntimeException e) {
            return error(400, "InvalidXmlNodeValue", "The value for one of the XML nodes is not in the correct format.");
        }
        if (end.isAfter(now.plus(MAX_KEY_LIFETIME)) || !end.isAfter(begin)) {
            return error(400, "InvalidQueryParameterValue", "The expiry must be after the start and within seven days of the current time.");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String oid = "5f1b2a3c-0000-4000-8000-00000000c4a7";
        String tid = FakeAzure.TENANT_ID;
        String s = ISO.format(begin.truncatedTo(ChronoUnit.SECONDS));
        String e = ISO.format(end.truncatedTo(ChronoUnit.SECONDS));
        keys.put(oid + "|" + e, new IssuedKey(oid, tid, s, e, SERVICE_VERSION, secret));
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey><SignedOid>" + oid + "</SignedOid><SignedTid>" + tid
                + "</SignedTid><SignedStart>" + s + "</SignedStart><SignedExpiry>" + e + "</SignedExpiry><SignedService>b</SignedService>"
                + "<SignedVersion>" + SERVICE_VERSION + "</SignedVersion><Value>" + Base64.getEncoder().encodeToString(secret)
                + "</Value></UserDelegationKey>";
        return new Answer(200, Map.of("Content-Type", "application/xml"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Null when the SAS grants a read of this blob now; otherwise why not. */
    String sasProblem(Map<String, String> q, String canonical) {
        if (!q.containsKey("sig")) {
            return "no signature";
        }
        if (!q.containsKey("skoid") || !q.containsKey("ske")) {
            return "not a user delegation SAS (service SAS with an account key are disabled on this account)";
        }
        IssuedKey key = keys.get(q.get("skoid") + "|" + q.get("ske"));
        if (key == null || !key.tid().equals(q.get("sktid")) || !key.start().equals(q.get("skt")) || !"b".equals(q.get("sks"))
                || !key.version().equals(q.get("skv"))) {
            return "the delegation key named by the SAS was not issued";
        }
        if (!"b".equals(q.get("sr")) || q.get("sp") == null || !q.get("sp").contains("r")) {
            return "the SAS does not grant reading a blob";
        }
        if (q.containsKey("spr") && !q.get("spr").startsWith("https")) {
            // Reads arrive over HTTPS here; "https" and "https,http" both allow them.
            return "protocol not allowed";
        }
        Instant now = clock.instant();
        try {
            if (q.containsKey("st") && Instant.parse(q.get("st")).isAfter(now)) {
                return "the SAS is not valid yet";
            }
            Instant se = Instant.parse(q.get("se"));
            if (!se.isAfter(now)) {
                return "the SAS has expired";
            }
            if (se.isAfter(Instant.parse(key.expiry()))) {
                return "the SAS outlives its delegation key";
            }
        } catch (RuntimeException e) {
            return "a SAS time is not ISO 8601";
        }
        String expected = sign(key.secret(), stringToSign(q, canonical));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), q.get("sig").getBytes(StandardCharsets.UTF_8))
                ? null : "Signature did not match.";
    }

    /**
     * The user-delegation string-to-sign for the SAS version {@code sv}: the 2020-12-06 layout
     * (Learn, "Create a user delegation SAS"), with the delegated-user tenant and object id from
     * 2025-07-05, and the signed request headers and query parameters after the encryption scope
     * from 2026-04-06 (azure-sdk-for-java BlobSasImplUtil; see docs/azure-contract.md).
     */
    static String stringToSign(Map<String, String> q, String canonical) {
        String sv = q.getOrDefault("sv", "");
        StringBuilder s = new StringBuilder();
        for (String f : List.of("sp", "st", "se")) {
            s.append(q.getOrDefault(f, "")).append('\n');
        }
        s.append(canonical).append('\n');
        for (String f : List.of("skoid", "sktid", "skt", "ske", "sks", "skv", "saoid", "suoid", "scid")) {
            s.append(q.getOrDefault(f, "")).append('\n');
        }
        if (sv.compareTo("2025-07-05") >= 0) {
            s.append(q.getOrDefault("skdutid", "")).append('\n').append(q.getOrDefault("sduoid", "")).append('\n');
        }
        for (String f : List.of("sip", "spr", "sv", "sr")) {
            s.append(q.getOrDefault(f, "")).append('\n');
        }
        s.append(q.getOrDefault("snapshot", q.getOrDefault("versionid", ""))).append('\n');
        s.append(q.getOrDefault("ses", "")).append('\n');
        if (sv.compareTo("2026-04-06") >= 0) {
            s.append(q.getOrDefault("srh", "")).append('\n').append(q.getOrDefault("srq", "")).append('\n');
        }
        s.append(q.getOrDefault("rscc", "")).append('\n').append(q.getOrDefault("rscd", "")).append('\n')
                .append(q.getOrDefault("rsce", "")).append('\n').append(q.getOrDefault("rscl", "")).append('\n')
                .append(q.getOrDefault("rsct", ""));
        return s.toString();
    }

    static String sign(byte[] secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(HttpExchange ex, Answer a) throws IOException {
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("x-ms-version", SERVICE_VERSION);
        ex.getResponseHeaders().set("x-ms-request-id", java.util.UUID.randomUUID().toString());
        boolean noBody = a.body().length == 0 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(a.status(), noBody ? -1 : a.body().length);
        if (!noBody) {
            ex.getResponseBody().write(a.body());
        }
    }

    private static boolean bearer(String auth) {
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7;
    }

    private static Answer error(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>";
        return new Answer(status, Map.of("Content-Type", "application/xml", "x-ms-error-code", code), xml.getBytes(StandardCharsets.UTF_8));
    }

    private String now() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(java.time.ZoneOffset.UTC));
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
