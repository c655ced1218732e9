package io.oomresponder.intake;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARM id of one Azure Container App. Two factories, for two kinds of caller:
 * <ul>
 * <li>{@link #parse(String)} checks strictly: alert payloads are untrusted, and this id later names
 * ARM calls, metric queries and (escaped) KQL, so a quote, a pipe, a newline or a {@code ..} path
 * segment never gets past it. The public constructor checks the same way.</li>
 * <li>{@link #parseLenient(String)} only takes the id apart, keeping it as written: the evidence
 * reader uses it for alerts that did not come through intake (a replayed or hand-made alert), and
 * still gathers for an odd id, every use of its parts being escaped.</li>
 * </ul>
 * Equal ids have equal parts and the same {@link #resourceId()}.
 */
public final class ContainerAppId {

    /** The provider and type of a container app, in ARM's canonical spelling. */
    public static final String RESOURCE_TYPE = "Microsoft.App/containerApps";

    /** ARM caps resource ids far below this; longer input is rejected before the regex runs. */
    private static final int MAX_ID_CHARS = 512;

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // Resource group names: letters, digits, underscore, hyphen, period, parentheses; 1-90 chars; no trailing period.
    // ARM also allows Unicode letters; we refuse them (ASCII only, see AsciiNames): a look-alike such as the
    // Kelvin sign would otherwise pass an allow-list compared with Unicode case folding.
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]");
    // Container app names: lower-case letters, digits and hyphens, starting with a letter, 2-32 chars.
    private static final Pattern APP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/microsoft\\.app/containerapps/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LENIENT_SHAPE = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.App/containerApps/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);

    private final String resourceId;
    private final String subscriptionId;
    private final String resourceGroup;
    private final String name;

    /**
     * A checked id from its parts.
     *
     * @param subscriptionId the subscription GUID, lower case
     * @param resourceGroup  the resource group name as written (ARM names are case-insensitive; ASCII only here)
     * @param name           the container app name, lower case (Container Apps names are lower case)
     * @throws IllegalArgumentException when a part has characters ARM does not allow
     */
    public ContainerAppId(String subscriptionId, String resourceGroup, String name) {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(name, "name");
        if (!GUID.matcher(subscriptionId).matches()) {
            throw new IllegalArgumentException("subscription id is not a GUID");
        }
        if (!RESOURCE_GROUP.matcher(resourceGroup).matches()) {
            throw new IllegalArgumentException("resource group name has characters ARM does not allow");
        }
        if (!APP_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("container app name has characters ARM does not allow");
        }
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.resourceId = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/" + RESOURCE_TYPE + "/" + name;
    }

    private ContainerAppId(String resourceId, String subscriptionId, String resourceGroup, String name) {
        this.resourceId = resourceId;
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
    }

    /**
     * Parses an id such as {@code /subscriptions/<guid>/resourceGroups/rg/providers/Microsoft.App/containerApps/app},
     * in any letter case (alert payloads write ids in lower case).
     *
     * @throws IllegalArgumentException with a short reason (never echoing the input) when it is not one
     */
    public static ContainerAppId parse(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("resource id is empty");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("resource id is longer than " + MAX_ID_CHARS + " characters");
        }
        if (!AsciiNames.isAscii(id)) {
            throw new IllegalArgumentException("resource id contains a non-ASCII character");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'' || c == '"' || c == '|' || c == '\\' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("resource id contains a quote, pipe, backslash, space or control character");
            }
        }
        if (id.contains("..") || id.contains("//")) {
            throw new IllegalArgumentException("resource id contains an empty or .. path segment");
        }
        Matcher m = SHAPE.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not the ARM id of a container app (" + RESOURCE_TYPE + ")");
        }
        return new ContainerAppId(AsciiNames.lower(m.group(1)), m.group(2), AsciiNames.lower(m.group(3)));
    }

    /**
     * Takes an id apart without checking its characters, keeping it and its parts as written (a
     * trailing slash allowed). Empty when it does not have the shape of a container app's id.
     */
    public static Optional<ContainerAppId> parseLenient(String resourceId) {
        if (resourceId == null) {
            return Optional.empty();
        }
        Matcher m = LENIENT_SHAPE.matcher(resourceId);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ContainerAppId(resourceId, m.group(1), m.group(2), m.group(3)));
    }

    /** True when the text names the container apps provider at all (so a malformed one is an error, not another resource type). */
    public static boolean mentionsContainerApps(String id) {
        return id != null && AsciiNames.lower(id).contains("/providers/microsoft.app/containerapps/");
    }

    /** The id: canonical (ARM's spelling of the segment names) when checked, as written when lenient. */
    public String resourceId() {
        return resourceId;
    }

    /** The subscription id (a lower-case GUID when checked). */
    public String subscriptionId() {
        return subscriptionId;
    }

    /** The resource group name as written. */
    public String resourceGroup() {
        return resourceGroup;
    }

    /** The container app's name (lower case when checked). */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerAppId other && resourceId.equals(other.resourceId)
                && subscriptionId.equals(other.subscriptionId) && resourceGroup.equals(other.resourceGroup)
                && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resourceId, subscriptionId, resourceGroup, name);
    }

    /** The same as {@link #resourceId()}. */
    @Override
    public String toString() {
        return resourceId;
    }
}
