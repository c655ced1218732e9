package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from untrusted text (log lines, alert fields, sink responses) before it leaves
 * the process: bearer tokens, JWTs, SAS signatures, account and access keys, connection-string
 * secrets, passwords, credentials in URLs and well-known token formats. It also strips terminal
 * escape sequences and control characters, which can forge or hide text in a note.
 *
 * <p>The formats are data, not code: {@code secret-rules.json} (next to this class) is a catalogue of
 * 70-odd rules modelled on gitleaks' rule set: distinctive token formats (GitHub, Slack, Stripe,
 * AWS, Azure, OpenAI...), credentials in headers, URLs and connection strings, and the generic
 * {@code KEY=value} rule, where any {@code _ . -} or camelCase segment of the key naming a secret
 * counts ({@code DB_PASSWORD}, {@code AZURE_CLIENT_SECRET}, {@code clientSecret}), but a word that
 * merely starts with one ({@code tokenizer}, {@code passed}) does not.
 *
 * <p>Redaction is deliberately greedy: a false positive costs a few characters of a log line, a
 * false negative leaks a credential into a Teams channel.
 */
public final class Redactor {

    /** What replaces a secret. */
    public static final String MASK = "[REDACTED]";

    /** Longest untrusted line a note shows; longer lines are cut (stack traces, JSON dumps). */
    public static final int MAX_LINE_CHARS = 400;

    /** Input longer than this many times the visible length is cut before the rules run. */
    private static final int PRE_CUT_FACTOR = 4;
    /** After a pre-cut, this many trailing characters are dropped as possibly part of a split secret. */
    private static final int PRE_CUT_UNSAFE_TAIL_CHARS = 512;

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");
    // Control characters except tab; line breaks are handled by the caller (one excerpt = one line).
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\t\\n]]|[\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

    /** The catalogue of secret formats, kept as data: {@code secret-rules.json} next to this class. */
    static final String CATALOGUE = "secret-rules.json";

    private static final List<Rule> RULES = load();

    private Redactor() {
    }

    /** The text with secrets masked, escape sequences removed and cut to {@link #MAX_LINE_CHARS}. Null stays null. */
    public static String redact(String text) {
        return redact(text, MAX_LINE_CHARS);
    }

    /** As {@link #redact(String)}, cut to {@code maxChars} (the cut is marked with an ellipsis). */
    public static String redact(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        // Redact before the final cut, so that the cut cannot leave an unrecognisable secret prefix.
        // Very long input is first cut far beyond the visible part (regexes on megabytes are slow);
        // the visible part then keeps at least PRE_CUT_FACTOR - 1 lengths of context for each rule.
        boolean preCut = text.length() > maxChars * PRE_CUT_FACTOR;
        String s = preCut ? text.substring(0, maxChars * PRE_CUT_FACTOR) : text;
        s = ANSI_ESCAPE.matcher(s).replaceAll("");
        s = CONTROL.matcher(s).replaceAll("");
        String lower = s.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.mayMatch(lower)) {
                s = rule.mask(s);
            }
        }
        if (preCut) {
            // The pre-cut may have split a secret the rules no longer recognise: never show its end.
            s = s.substring(0, Math.max(0, s.length() - PRE_CUT_UNSAFE_TAIL_CHARS)) + "…";
        }
        if (s.length() > maxChars) {
            int cut = maxChars - 1;
            if (Character.isHighSurrogate(s.charAt(cut - 1))) {
                cut--;
            }
            s = s.substring(0, cut) + "…";
        }
        return s;
    }

    /** True when {@link #redact(String)} would mask something (for tests and audits). */
    public static boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return RULES.stream().anyMatch(r -> r.mayMatch(lower) && r.pattern.matcher(text).find());
    }

    /** The ids of the catalogue's rules, in the order they run (for tests and docs). */
    static List<String> ruleIds() {
        return RULES.stream().map(Rule::id).toList();
    }

    private static List<Rule> load() {
        try (InputStream in = Redactor.class.getResourceAsStream(CATALOGUE)) {
            if (in == null) {
                throw new IllegalStateException(CATALOGUE + " is missing from the jar");
            }
            JsonNode root = Json.mapper().readTree(in);
            List<Rule> rules = new ArrayList<>();
            for (JsonNode r : root.path("rules")) {
                List<String> keywords = new ArrayList<>();
                r.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase(Locale.ROOT)));
                rules.add(new Rule(r.path("id").asText(), Pattern.compile(r.path("regex").asText()), List.copyOf(keywords)));
            }
            if (rules.isEmpty()) {
                throw new IllegalStateException(CATALOGUE + " has no rules");
            }
            return List.copyOf(rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CATALOGUE, e);
        }
    }

    /**
     * One format of the catalogue.
     *
     * @param keywords the rule runs only when the lower-cased text contains one of them (none: always)
     */
    private record Rule(String id, Pattern pattern, List<String> keywords) {

        boolean mayMatch(String lowerCaseText) {
            return keywords.isEmpty() || keywords.stream().anyMatch(lowerCaseText::contains);
        }

        /** Masks the groups that took part in each match, or the whole match when the rule has no groups. */
        String mask(String text) {
            Matcher m = pattern.matcher(text);
            if (!m.find()) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length());
            int copied = 0;
            do {
                if (m.groupCount() == 0) {
                    out.append(text, copied, m.start()).append(MASK);
                    copied = m.end();
                    continue;
                }
                for (int g = 1; g <= m.groupCount(); g++) {
                    // Only the secret's groups; a back-reference group (the XML element name) is structure.
                    if (m.start(g) < 0 || m.start(g) < copied || (g == 1 && m.groupCount() > 1 && id.equals("xml-secret-element"))) {
                        continue;
                    }
                    if (m.end(g) > m.start(g)) {
                        out.append(text, copied, m.start(g)).append(MASK);
                        copied = m.end(g);
                    }
                }
            } while (m.find());
            out.append(text, copied, text.length());
            return out.toString();
        }
    }
}
