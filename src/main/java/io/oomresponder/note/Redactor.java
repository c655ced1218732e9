package io.oomresponder.note;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from untrusted text (log lines, alert fields, sink responses) before it leaves
 * the process: bearer tokens, JWTs, SAS signatures, account and access keys, connection-string
 * secrets, passwords, credentials in URLs and well-known token formats. It also strips terminal
 * escape sequences and control characters, which can forge or hide text in a note.
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

    private static final List<Rule> RULES = List.of(
            // Authorization: Bearer eyJ..., Basic dXNlcjpwYXNz
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9\\-._~+/]{8,}=*"), "$1$2" + MASK),
            // JWT-looking strings anywhere (header.payload.signature, base64url, header starts with {"…)
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), MASK),
            // Credentials in URLs: scheme://user:password@host
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{1,20}://)[^\\s/@:\"']+:[^\\s/@\"']+@"), "$1" + MASK + "@"),
            // SAS and signed URLs: sig=..., also the Workflows webhook signature
            new Rule(Pattern.compile("(?i)([?&;\\s\"']|^)(sig|signature|x-amz-signature)=[^&\\s\"'<>;,]+"), "$1$2=" + MASK),
            // Function keys in URLs (?code=...); a bare "code=137" in a log line is an exit code and stays
            new Rule(Pattern.compile("(?i)([?&])(code)=[^&\\s\"'<>;,]+"), "$1$2=" + MASK),
            // key=value and key: value secrets, incl. connection strings (AccountKey=...;), JSON ("password": "...")
            new Rule(Pattern.compile("(?i)(\"?\\b(?:account[_-]?key|shared[_-]?access[_-]?key|access[_-]?key|secret[_-]?key|client[_-]?secret"
                    + "|api[_-]?key|apikey|x-api-key|subscription[_-]?key|ocp-apim-subscription-key|routing[_-]?key|primary[_-]?key|secondary[_-]?key"
                    + "|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|token|secret|password|passwd|pwd|pass"
                    + "|connection[_-]?string|conn[_-]?str|private[_-]?key|credentials?)\\b\"?\\s*[:=]\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s;,&\"'<>]+)"), "$1" + MASK),
            // PEM private keys
            new Rule(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"), MASK),
            // Well-known token formats: GitHub, Slack, AWS access key ids, Azure storage keys (88 chars ending ==)
            new Rule(Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[baprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\\b"), MASK),
            new Rule(Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])"), MASK));

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
        for (Rule rule : RULES) {
            s = rule.pattern.matcher(s).replaceAll(rule.replacement);
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
        return RULES.stream().anyMatch(r -> r.pattern.matcher(text).find());
    }

    private record Rule(Pattern pattern, String replacement) {
        Rule {
            replacement = replacement.replace(MASK, Matcher.quoteReplacement(MASK));
        }
    }
}
