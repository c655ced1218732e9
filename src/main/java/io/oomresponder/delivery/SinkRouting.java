package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which sinks get a note, by the app's resource group or an app tag (setting DELIVERY_ROUTES).
 * Rules are separated by {@code ;} and tried in order; the first match wins:
 * <pre>
 *   rg:rg-payments -&gt; jira,teams ; tag:team=platform -&gt; pagerduty,teams ; * -&gt; teams
 * </pre>
 * With no rule matching (or no rules), every configured sink gets the note. Rules naming a sink
 * that is not configured are rejected at load.
 */
public final class SinkRouting {

    public static final String SETTING = "DELIVERY_ROUTES";
    private static final Pattern RULE = Pattern.compile("\\s*(\\*|rg:[^\\s>]+|tag:[^=\\s]+=[^\\s>]*)\\s*->\\s*([a-z0-9_,\\s-]+)\\s*");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("(?i)/resourceGroups/([^/]+)");

    private final List<Rule> rules;
    private final List<String> configured;

    private SinkRouting(List<Rule> rules, List<String> configured) {
        this.rules = List.copyOf(rules);
        this.configured = List.copyOf(configured);
    }

    /** One rule: a selector ({@code *}, {@code rg:NAME}, {@code tag:KEY=VALUE}) and its sinks. */
    public record Rule(String selector, List<String> sinks) {
        public Rule {
            Objects.requireNonNull(selector, "selector");
            sinks = List.copyOf(sinks);
        }

        boolean matches(String resourceGroup, Map<String, String> tags) {
            if (selector.equals("*")) {
                return true;
            }
            if (selector.startsWith("rg:")) {
                return resourceGroup != null && io.oomresponder.intake.AsciiNames.equalIgnoringCase(selector.substring(3), resourceGroup);
            }
            String kv = selector.substring(4);
            int eq = kv.indexOf('=');
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            return tags.entrySet().stream().anyMatch(t -> t.getKey().equalsIgnoreCase(key) && value.equals(t.getValue()));
        }
    }

    /**
     * Parses the rules.
     *
     * @param spec       the DELIVERY_ROUTES value, or null/blank for "every sink"
     * @param configured the names of the configured sinks
     * @throws IllegalArgumentException naming the bad rule or the unknown sink
     */
    public static SinkRouting parse(String spec, Collection<String> configured) {
        List<Rule> rules = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String part : spec.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                Matcher m = RULE.matcher(part);
                if (!m.matches()) {
                    throw new IllegalArgumentException("setting " + SETTING + ": cannot read rule '" + part.trim()
                            + "' (expected '*', 'rg:NAME' or 'tag:KEY=VALUE', then '->' and sink names)");
                }
                List<String> sinks = new ArrayList<>();
                for (String s : m.group(2).split(",")) {
                    String name = s.trim().toLowerCase(Locale.ROOT);
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (!configured.contains(name)) {
                        throw new IllegalArgumentException("setting " + SETTING + ": rule '" + part.trim() + "' names sink '" + name
                                + "', which is not configured (configured: " + new TreeSet<>(configured) + ")");
                    }
                    sinks.add(name);
                }
                rules.add(new Rule(m.group(1), sinks));
            }
        }
        return new SinkRouting(rules, List.copyOf(configured));
    }

    /** Every note to every configured sink. */
    public static SinkRouting everySink(Collection<String> configured) {
        return new SinkRouting(List.of(), List.copyOf(configured));
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The sinks for an app in this resource group with these tags. */
    public List<String> sinksFor(String resourceGroup, Map<String, String> tags) {
        for (Rule rule : rules) {
            if (rule.matches(resourceGroup, tags == null ? Map.of() : tags)) {
                return rule.sinks();
            }
        }
        return configured;
    }

    /** The sinks for a note: resource group from its app id, tags from its summary. */
    public List<String> sinksFor(RenderedNote note) {
        String rg = null;
        if (note.appResourceId() != null) {
            Matcher m = RESOURCE_GROUP.matcher(note.appResourceId());
            if (m.find()) {
                rg = m.group(1);
            }
        }
        Map<String, String> tags = new java.util.HashMap<>();
        if (note.summary() != null) {
            note.summary().path("appTags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        return sinksFor(rg, tags);
    }
}
