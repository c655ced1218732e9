package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secrets from untrusted text (log lines, alert fields, sink responses) before it leaves
 * the process: bearer tokens, JWTs, SAS signatures, account and access keys, connection-string
 * secrets, passwords, credentials in URLs and well-known token formats. It also strips terminal
 * escape sequences, control characters and invisible format characters, which can forge or hide text
 * in a note.
 *
 * <p>The formats are data, not code: {@code secret-rules.json} (next to this class) is a catalogue of
 * rules modelled on gitleaks' rule set: distinctive token formats (GitHub, Slack, Stripe, AWS, Azure,
 * OpenAI...), credentials in headers, URLs, command lines and connection strings, and the generic
 * {@code KEY=value} rule, where the key names a secret by the catalogue's {@code secretNames}
 * ({@code DB_PASSWORD}, {@code PGPASSWORD}, {@code clientSecret}), but a word that merely starts with
 * one ({@code tokenizer}, {@code passed}) does not.
 *
 * <p><b>Time.</b> A log line is attacker-controlled text, so no line may stall a worker (issue 26: one
 * backtracking rule held both queue workers at full CPU). The rules run on RE2/J, whose matching time
 * is linear in the input (no backtracking; the catalogue uses no lookaround or back-reference); input
 * is cut to {@link #MAX_INPUT_CHARS} before any rule runs; and each line has a budget of work,
 * counted as the characters the engine reads ({@link #WORK_PER_CHAR} per input character). A line
 * that exceeds it is never shown: it is replaced by {@link #WITHHELD}, which says so in the note.
 *
 * <p>Redaction is deliberately greedy: a false positive costs a few characters of a log line, a
 * false negative leaks a credential into a Teams channel.
 */
public final class Redactor {

    /** What replaces a secret. */
    public static final String MASK = "[REDACTED]";

    /** What replaces a line whose redaction exceeded its work budget: the line is withheld, never shown unmasked. */
    public static final String WITHHELD = "[line withheld: redaction exceeded its work budget]";

    /** Longest untrusted line a note shows; longer lines are cut (stack traces, JSON dumps). */
    public static final int MAX_LINE_CHARS = 400;

    /** No rule ever sees more than this many characters of one text (whatever the visible length asked for). */
    public static final int MAX_INPUT_CHARS = 16_384;

    /**
     * Work budget per input character, in characters read by the regex engine over all rules. The
     * adversarial test ({@code RedactorWorkTest}) measures the worst input it can build for every rule
     * and checks it stays far below this, so only a super-linear regression can reach it.
     */
    public static final long WORK_PER_CHAR = 250;
    /** Work every line may take whatever its length (rule set-up on short lines). */
    static final long WORK_BASE = 50_000;

    /** Input longer than this many times the visible length is cut before the rules run. */
    private static final int PRE_CUT_FACTOR = 4;
    /** After a pre-cut, this many trailing characters are dropped as possibly part of a split secret. */
    private static final int PRE_CUT_UNSAFE_TAIL_CHARS = 512;

    /** The catalogue of secret formats, kept as data: {@code secret-rules.json} next to this class. */
    static final String CATALOGUE = "secret-rules.json";

    private static final Catalogue CATALOGUE_RULES = load();

    private Redactor() {
    }

    /** The text with secrets masked, escape sequences removed and cut to {@link #MAX_LINE_CHARS}. Null stays null. */
    public static String redact(String text) {
        return redact(text, MAX_LINE_CHARS);
    }

    /** As {@link #redact(String)}, cut to {@code maxChars} (the cut is marked with an ellipsis). */
    public static String redact(String text, int maxChars) {
        return redact(text, maxChars, null);
    }

    /**
     * As {@link #redact(String, int)} with the work of the rules counted into {@code work} (null: a
     * fresh budget of {@link #budgetFor(int)}).
     */
    static String redact(String text, int maxChars, Work work) {
        if (text == null) {
            return null;
        }
        // Redact before the final cut, so that the cut cannot leave an unrecognisable secret prefix.
        // Very long input is first cut far beyond the visible part; the visible part then keeps at least
        // PRE_CUT_FACTOR - 1 lengths of context for each rule.
        int inputCap = (int) Math.min(MAX_INPUT_CHARS, (long) maxChars * PRE_CUT_FACTOR);
        boolean preCut = text.length() > inputCap;
        String s = preCut ? text.substring(0, inputCap) : text;
        s = Invisible.strip(s);
        Work budget = work != null ? work : new Work(budgetFor(s.length()));
        try {
            s = CATALOGUE_RULES.maskAll(s, budget);
        } catch (Work.Exceeded e) {
            return WITHHELD;
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

    /** The work a line of this many characters may take before it is withheld. */
    static long budgetFor(int chars) {
        return WORK_BASE + WORK_PER_CHAR * chars;
    }

    /** True when {@link #redact(String)} would mask something (for tests and audits). */
    public static boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        String s = Invisible.strip(text.length() > MAX_INPUT_CHARS ? text.substring(0, MAX_INPUT_CHARS) : text);
        try {
            return !CATALOGUE_RULES.maskAll(s, new Work(budgetFor(s.length()))).equals(s);
        } catch (Work.Exceeded e) {
            return true;
        }
    }

    /** The ids of the catalogue's rules, in the order they run (for tests and docs). */
    static List<String> ruleIds() {
        return CATALOGUE_RULES.rules.stream().map(Rule::id).toList();
    }

    /** The catalogue's rules, for the adversarial tests. */
    static List<Rule> rules() {
        return CATALOGUE_RULES.rules;
    }

    /** Masks with the one rule (no other rule, no cut): what the adversarial tests measure. */
    static String maskWith(Rule rule, String text, Work work) {
        return rule.mask(text, text.toLowerCase(Locale.ROOT), CATALOGUE_RULES.names, work);
    }

    private static Catalogue load() {
        try (InputStream in = Redactor.class.getResourceAsStream(CATALOGUE)) {
            if (in == null) {
                throw new IllegalStateException(CATALOGUE + " is missing from the jar");
            }
            JsonNode root = Json.mapper().readTree(in);
            List<Rule> rules = new ArrayList<>();
            for (JsonNode r : root.path("rules")) {
                List<String> keywords = new ArrayList<>();
                r.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase(Locale.ROOT)));
                String unless = r.path("unless").asText(null);
                rules.add(new Rule(r.path("id").asText(), Pattern.compile(r.path("regex").asText()), List.copyOf(keywords),
                        r.path("name").asInt(0), unless == null ? null : Pattern.compile(unless), r.path("value").asText("").equals("after")));
            }
            if (rules.isEmpty()) {
                throw new IllegalStateException(CATALOGUE + " has no rules");
            }
            JsonNode names = root.path("secretNames");
            return new Catalogue(List.copyOf(rules), new SecretNames(strings(names.path("words")), strings(names.path("suffixes")),
                    strings(names.path("wholeLine"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CATALOGUE, e);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText().toLowerCase(Locale.ROOT)));
        return Set.copyOf(out);
    }

    private record Catalogue(List<Rule> rules, SecretNames names) {
        String maskAll(String text, Work work) {
            String s = text;
            String lower = s.toLowerCase(Locale.ROOT);
            for (Rule rule : rules) {
                if (rule.mayMatch(lower)) {
                    String masked = rule.mask(s, lower, names, work);
                    if (!masked.equals(s)) {
                        s = masked;
                        lower = s.toLowerCase(Locale.ROOT);
                    }
                }
            }
            return s;
        }
    }

    /**
     * Work done on one line: characters read by the regex engine. Exceeding the limit throws, which
     * stops the engine mid-match (it reads through {@link CountedText}).
     */
    static final class Work {
        private final long limit;
        private long used;

        Work(long limit) {
            this.limit = limit;
        }

        long used() {
            return used;
        }

        void add(long n) {
            used += n;
            if (used > limit) {
                throw new Exceeded();
            }
        }

        /** Thrown when a line's work exceeds its budget. */
        static final class Exceeded extends RuntimeException {
            Exceeded() {
                super("redaction work budget exceeded", null, false, false);
            }
        }
    }

    /** The text as the regex engine sees it: every character it reads is counted against the line's budget. */
    private record CountedText(String text, Work work) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            work.add(1);
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Which key names a secret ({@code secretNames} in the catalogue). */
    record SecretNames(Set<String> words, Set<String> suffixes, Set<String> wholeLine) {

        /** The secret word the key names, or null. */
        String secretWord(String key) {
            List<String> segments = segments(key);
            String found = null;
            for (int i = 0; i < segments.size(); i++) {
                String joined = "";
                for (int j = i; j < Math.min(segments.size(), i + 3); j++) {
                    joined += segments.get(j);
                    if (words.contains(joined)) {
                        found = joined;
                    }
                }
                String seg = segments.get(i);
                for (String suffix : suffixes) {
                    if (seg.length() > suffix.length() && seg.endsWith(suffix)) {
                        found = suffix;
                    }
                }
            }
            return found;
        }

        /** Segments at {@code _ . -} and camelCase (lower or digit, then upper), lower-cased. */
        static List<String> segments(String key) {
            List<String> out = new ArrayList<>();
            StringBuilder seg = new StringBuilder();
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c == '_' || c == '.' || c == '-') {
                    flush(seg, out);
                    continue;
                }
                if (Character.isUpperCase(c) && i > 0 && (Character.isLowerCase(key.charAt(i - 1)) || Character.isDigit(key.charAt(i - 1)))) {
                    flush(seg, out);
                }
                seg.append(Character.toLowerCase(c));
            }
            flush(seg, out);
            return out;
        }

        private static void flush(StringBuilder seg, List<String> out) {
            if (!seg.isEmpty()) {
                out.add(seg.toString());
                seg.setLength(0);
            }
        }
    }

    /**
     * One format of the catalogue.
     *
     * @param keywords    the rule runs only when the lower-cased text contains one of them (none: always)
     * @param nameGroup   when above 0, the group holding a key: the rule applies only when it names a secret, and it is never masked
     * @param unless      a match whose masked group matches this whole regex is not a secret (null: none)
     * @param valueAfter  the value follows the match and is read by {@link #valueEnd} (the generic KEY=value rule)
     */
    record Rule(String id, Pattern pattern, List<String> keywords, int nameGroup, Pattern unless, boolean valueAfter) {

        boolean mayMatch(String lowerCaseText) {
            return keywords.isEmpty() || keywords.stream().anyMatch(lowerCaseText::contains);
        }

        /** Masks the groups that took part in each match (not the name group), or the whole match when the rule has no groups. */
        String mask(String text, String lower, SecretNames names, Work work) {
            Matcher m = pattern.matcher(new CountedText(text, work));
            StringBuilder out = null;
            int copied = 0;
            int from = 0;
            while (from <= text.length() && m.find(from)) {
                from = Math.max(m.end(), m.start() + 1);
                String secretWord = null;
                if (nameGroup > 0) {
                    secretWord = m.start(nameGroup) < 0 ? null : names.secretWord(m.group(nameGroup));
                    if (secretWord == null) {
                        continue;
                    }
                }
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                if (valueAfter) {
                    int start = m.end();
                    int end = valueEnd(text, start, names.wholeLine().contains(secretWord));
                    boolean quoted = end > start && (text.charAt(start) == '"' || text.charAt(start) == '\'');
                    // Quotes stay (the JSON still reads as JSON); an unclosed quote masks to the end.
                    int maskFrom = quoted ? start + 1 : start;
                    int maskTo = quoted && end - start >= 2 && text.charAt(end - 1) == text.charAt(start) ? end - 1 : end;
                    if (maskTo > maskFrom && start >= copied) {
                        out.append(text, copied, maskFrom).append(MASK);
                        copied = maskTo;
                    }
                    work.add(end - start);
                    from = Math.max(from, end);
                    continue;
                }
                int groups = m.groupCount();
                if (groups == 0) {
                    if (m.start() >= copied) {
                        out.append(text, copied, m.start()).append(MASK);
                        copied = m.end();
                    }
                    continue;
                }
                for (int g = 1; g <= groups; g++) {
                    if (g == nameGroup || m.start(g) < 0 || m.start(g) < copied || m.end(g) <= m.start(g)) {
                        continue;
                    }
                    if (unless != null && unless.matcher(new CountedText(m.group(g), work)).matches()) {
                        continue;
                    }
                    out.append(text, copied, m.start(g)).append(MASK);
                    copied = m.end(g);
                }
            }
            if (out == null) {
                return text;
            }
            out.append(text, copied, text.length());
            return out.toString();
        }

        /**
         * Where the value that starts at {@code start} ends: a quoted string (with backslash escapes) up
         * to and including its closing quote, the rest of the line for a pass phrase, else a bare token.
         */
        static int valueEnd(String text, int start, boolean wholeLine) {
            int n = text.length();
            if (start >= n) {
                return start;
            }
            char q = text.charAt(start);
            if (q == '"' || q == '\'') {
                int i = start + 1;
                while (i < n && text.charAt(i) != q) {
                    i += text.charAt(i) == '\\' && q == '"' ? 2 : 1;
                }
                return Math.min(n, i + 1);
            }
            int i = start;
            if (wholeLine) {
                while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                }
                return i;
            }
            while (i < n && " \t\r\n;,&\"'<>".indexOf(text.charAt(i)) < 0) {
                i++;
            }
            return i;
        }
    }

    /** Terminal escapes, control characters and invisible format characters, stripped in one pass. */
    static final class Invisible {
        private Invisible() {
        }

        /**
         * Without ANSI escape sequences (CSI and two-character ESC sequences), C0/C1 controls other
         * than tab and line feed, zero-width and bidi controls (U+200B-U+200F, U+202A-U+202E,
         * U+2066-U+2069, U+061C), word joiner and invisible operators (U+2060-U+2064), the byte-order
         * mark / zero-width no-break space (U+FEFF) and the line and paragraph separators (U+2028,
         * U+2029), which some renderers break lines on.
         */
        static String strip(String s) {
            StringBuilder out = null;
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                int skip = 0;
                if (c == '\u001B') {
                    skip = escapeLength(s, i);
                } else if (invisible(c)) {
                    skip = 1;
                }
                if (skip > 0) {
                    if (out == null) {
                        out = new StringBuilder(n).append(s, 0, i);
                    }
                    i += skip - 1;
                } else if (out != null) {
                    out.append(c);
                }
            }
            return out == null ? s : out.toString();
        }

        static boolean invisible(char c) {
            return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F)
                    || (c >= '\u200B' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u061C' || (c >= '\u2060' && c <= '\u2064') || c == '\uFEFF' || c == '\u2028' || c == '\u2029';
        }

        /** Length of the escape sequence at {@code i} (CSI: ESC [ params intermediates final; else ESC and one of @-Z \ ] ^ _). */
        private static int escapeLength(String s, int i) {
            int n = s.length();
            if (i + 1 < n && s.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '?') {
                    j++;
                }
                while (j < n && s.charAt(j) >= ' ' && s.charAt(j) <= '/') {
                    j++;
                }
                if (j < n && s.charAt(j) >= '@' && s.charAt(j) <= '~') {
                    return j + 1 - i;
                }
                return 1;
            }
            if (i + 1 < n && s.charAt(i + 1) >= '@' && s.charAt(i + 1) <= '_') {
                return 2;
            }
            return 1;
        }
    }
}
