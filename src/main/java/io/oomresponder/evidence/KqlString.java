package io.oomresponder.evidence;

import java.util.Objects;

/**
 * A KQL string literal made from an outside value (app, revision or replica name). This is the only
 * way such values enter a query: single-quoted, with backslash, quote and line-break escapes, so
 * no value can end the literal and add operators ({@code '}, {@code |}, newlines and {@code ;} stay
 * text). The evidence queries and the query a note offers its reader ({@code note.LogQueries}) both
 * use it.
 */
public final class KqlString {

    private KqlString() {
    }

    /** The value as a single-quoted KQL literal, e.g. {@code o'brien} → {@code 'o\'brien'}. */
    public static String literal(String value) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Other control characters have no place in an Azure name; Kusto has no escape we
                    // trust for them, so they become a visible placeholder (the query then matches nothing).
                    out.append(Character.isISOControl(c) ? '\uFFFD' : c);
                }
            }
        }
        return out.append('\'').toString();
    }
}
