package io.oomresponder.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic credentials as ticket systems take them (user:token). */
public final class BasicAuth {

    private BasicAuth() {
    }

    /** The Authorization header value. */
    public static String header(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString(((user == null ? "" : user) + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
