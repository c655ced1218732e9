package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A structural check of Adaptive Cards against the 1.4 schema rules this project uses: known
 * element and action types only, the properties each may carry, required properties, enum values,
 * unique ids and ToggleVisibility targets that exist. Stricter than the schema where it helps
 * (no unknown properties at all), so a typo fails here before it fails in Teams.
 */
final class AdaptiveCardRules {

    private static final Set<String> COMMON = Set.of("type", "id", "spacing", "separator", "isVisible", "height", "requires", "fallback");
    private static final Map<String, Set<String>> ELEMENTS = Map.of(
            "TextBlock", Set.of("text", "wrap", "size", "weight", "color", "isSubtle", "fontType", "horizontalAlignment", "maxLines", "style"),
            "RichTextBlock", Set.of("inlines", "horizontalAlignment"),
            "FactSet", Set.of("facts"),
            "Image", Set.of("url", "altText", "size", "style", "width", "horizontalAlignment", "selectAction", "backgroundColor"),
            "Container", Set.of("items", "style", "bleed", "verticalContentAlignment", "selectAction", "minHeight", "backgroundImage"),
            "ColumnSet", Set.of("columns", "style", "bleed", "selectAction", "horizontalAlignment", "minHeight"),
            "ActionSet", Set.of("actions"));
    private static final Set<String> TEXT_RUN = Set.of("type", "text", "size", "weight", "color", "isSubtle", "fontType", "italic",
            "strikethrough", "highlight", "underline", "selectAction");
    private static final Map<String, Set<String>> ACTIONS = Map.of(
            "Action.OpenUrl", Set.of("url"),
            "Action.ToggleVisibility", Set.of("targetElements"),
            "Action.ShowCard", Set.of("card"));
    private static final Set<String> ACTION_COMMON = Set.of("type", "id", "title", "iconUrl", "style", "fallback", "requires");
    private static final Set<String> SIZES = Set.of("Default", "Small", "Medium", "Large", "ExtraLarge");
    private static final Set<String> WEIGHTS = Set.of("Default", "Lighter", "Bolder");
    private static final Set<String> COLOURS = Set.of("Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention");
    private static final Set<String> CONTAINER_STYLES = Set.of("default", "emphasis", "good", "attention", "warning", "accent");
    private static final Set<String> SPACINGS = Set.of("default", "none", "small", "medium", "large", "extraLarge", "padding",
            "Default", "None", "Small", "Medium", "Large", "ExtraLarge", "Padding");

    private AdaptiveCardRules() {
    }

    /** Problems found, empty when the card follows the rules. */
    static List<String> problems(JsonNode card) {
        List<String> p = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (!"AdaptiveCard".equals(card.path("type").asText())) {
            p.add("type must be AdaptiveCard");
        }
        if (!"1.4".equals(card.path("version").asText())) {
            p.add("version must be 1.4, was " + card.path("version"));
        }
        card.fieldNames().forEachRemaining(f -> {
            if (!Set.of("type", "version", "$schema", "body", "actions", "msteams", "fallbackText", "speak", "lang", "minHeight").contains(f)) {
                p.add("unknown card property " + f);
            }
        });
        if (!card.path("body").isArray()) {
            p.add("body must be an array");
        }
        card.path("body").forEach(e -> element(e, "body", p, ids));
        List<String> targets = new ArrayList<>();
        card.path("actions").forEach(a -> action(a, "actions", p, targets));
        for (String t : targets) {
            if (!ids.contains(t)) {
                p.add("ToggleVisibility target " + t + " does not exist");
            }
        }
        return p;
    }

    private static void element(JsonNode e, String where, List<String> p, Set<String> ids) {
        String type = e.path("type").asText();
        Set<String> allowed = ELEMENTS.get(type);
        String here = where + "/" + type + (e.has("id") ? "#" + e.get("id").asText() : "");
        if (allowed == null) {
            p.add(here + ": element type not in 1.4 subset");
            return;
        }
        e.fieldNames().forEachRemaining(f -> {
            if (!COMMON.contains(f) && !allowed.contains(f)) {
                p.add(here + ": unknown property " + f);
            }
        });
        if (e.has("id") && !ids.add(e.get("id").asText())) {
            p.add(here + ": duplicate id");
        }
        checkEnum(e, "spacing", SPACINGS, here, p);
        switch (type) {
            case "TextBlock" -> {
                requireText(e, "text", here, p);
                checkText(e, here, p);
            }
            case "RichTextBlock" -> {
                if (!e.path("inlines").isArray()) {
                    p.add(here + ": inlines must be an array");
                }
                e.path("inlines").forEach(r -> {
                    if (!"TextRun".equals(r.path("type").asText())) {
                        p.add(here + ": inline must be a TextRun");
                    }
                    r.fieldNames().forEachRemaining(f -> {
                        if (!TEXT_RUN.contains(f)) {
                            p.add(here + "/TextRun: unknown property " + f);
                        }
                    });
                    requireText(r, "text", here + "/TextRun", p);
                    checkText(r, here + "/TextRun", p);
                });
            }
            case "FactSet" -> {
                if (!e.path("facts").isArray() || e.path("facts").isEmpty()) {
                    p.add(here + ": facts must be a non-empty array");
                }
                e.path("facts").forEach(f -> {
                    requireText(f, "title", here, p);
                    requireText(f, "value", here, p);
                });
            }
            case "Image" -> {
                String url = e.path("url").asText("");
                if (!url.startsWith("https://") && !url.startsWith("http://")) {
                    p.add(here + ": image url must be http(s), never inline data");
                }
            }
            case "Container" -> {
                checkEnum(e, "style", CONTAINER_STYLES, here, p);
                if (!e.path("items").isArray()) {
                    p.add(here + ": items must be an array");
                }
                e.path("items").forEach(i -> element(i, here, p, ids));
            }
            default -> {
            }
        }
        if (e.has("selectAction")) {
            action(e.get("selectAction"), here, p, new ArrayList<>());
        }
    }

    private static void action(JsonNode a, String where, List<String> p, List<String> targets) {
        String type = a.path("type").asText();
        Set<String> allowed = ACTIONS.get(type);
        if (allowed == null) {
            p.add(where + ": action type " + type + " not in 1.4 subset");
            return;
        }
        a.fieldNames().forEachRemaining(f -> {
            if (!ACTION_COMMON.contains(f) && !allowed.contains(f)) {
                p.add(where + "/" + type + ": unknown property " + f);
            }
        });
        if ("Action.OpenUrl".equals(type) && !a.path("url").asText("").startsWith("https://")) {
            p.add(where + "/" + type + ": url must be https");
        }
        if ("Action.ToggleVisibility".equals(type)) {
            a.path("targetElements").forEach(t -> targets.add(t.isTextual() ? t.asText() : t.path("elementId").asText()));
        }
    }

    private static void requireText(JsonNode e, String field, String here, List<String> p) {
        if (!e.path(field).isTextual()) {
            p.add(here + ": " + field + " must be a string");
        }
    }

    private static void checkText(JsonNode e, String here, List<String> p) {
        checkEnum(e, "size", SIZES, here, p);
        checkEnum(e, "weight", WEIGHTS, here, p);
        checkEnum(e, "color", COLOURS, here, p);
        checkEnum(e, "fontType", Set.of("Default", "Monospace"), here, p);
    }

    private static void checkEnum(JsonNode e, String field, Set<String> values, String here, List<String> p) {
        if (e.has(field) && !values.contains(e.get(field).asText())) {
            p.add(here + ": " + field + " " + e.get(field) + " is not one of " + values);
        }
    }
}
