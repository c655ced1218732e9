package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Container Apps system log event (ContainerAppSystemLogs), reason and message as Azure writes
 * them. {@code container} is the table's ContainerName column (an extra of the bundle format;
 * absent in older bundles and in the {@code _CL} table, which has no documented such column).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemLogEvent(Instant time, String revision, String replica, String reason, String type, String message,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String container) {

    /** "Container 'app' was terminated with exit code '137' ..." names the container in quotes. */
    private static final Pattern CONTAINER_IN_MESSAGE = Pattern.compile("\\bContainer '([^']{1,253})'");

    /** An event without a container column (older bundles, the {@code _CL} table). */
    public SystemLogEvent(Instant time, String revision, String replica, String reason, String type, String message) {
        this(time, revision, replica, reason, type, message, null);
    }

    /**
     * The container this event is about: the ContainerName column, else the name the message
     * quotes ("Container 'app' was terminated ..."); null when neither says.
     */
    public String containerName() {
        return container != null && !container.isBlank() ? container : containerIn(message);
    }

    /** The container name quoted in a system log message, or null. */
    public static String containerIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = CONTAINER_IN_MESSAGE.matcher(message);
        return m.find() ? m.group(1) : null;
    }
}
