package io.oomresponder.note;

/**
 * Escaping of text for the markups a note is written in, so that a log line or a resource name
 * cannot inject formatting, links or HTML into a ticket or a card.
 */
public final class Markup {

    private Markup() {
    }

    /**
     * Escapes inline Markdown (CommonMark/GFM) so the text shows literally: emphasis, code, links,
     * tables, strikethrough and HTML. Characters that only matter at the start of a line (headings,
     * lists, quotes) are escaped there; line breaks become spaces, so the text stays inline.
     */
    public static String markdown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '|', '~' -> b.append('\\').append(c);
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\r', '\n' -> b.append(' ');
                case '#', '-', '+', '=', '!' -> {
                    if (i == 0 || c == '!') {
                        b.append('\\');
                    }
                    b.append(c);
                }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Escapes text for Adaptive Card TextBlocks and facts, whose Markdown subset (emphasis, links,
     * lists) honours backslash escapes but not HTML entities.
     */
    public static String cardMarkdown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '~' -> b.append('\\').append(c);
                case '\r', '\n' -> b.append(' ');
                case '#', '-', '+', '>' -> {
                    // Only "- item", "# heading" at the very start are block syntax; "+305 MiB/h" is not.
                    if (i == 0 && i + 1 < text.length() && text.charAt(i + 1) == ' ') {
                        b.append('\\');
                    }
                    b.append(c);
                }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A fenced code block that the content cannot close: the fence is one backtick longer than the
     * longest run of backticks inside.
     */
    public static String markdownCodeBlock(String content, String language) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < content.length(); i++) {
            run = content.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + (language == null ? "" : language) + "\n" + content + (content.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    /** Inline code that the content cannot close. */
    public static String markdownInlineCode(String content) {
        String c = content.replace('\n', ' ').replace('\r', ' ');
        int longest = 0;
        int run = 0;
        for (int i = 0; i < c.length(); i++) {
            run = c.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String ticks = "`".repeat(longest + 1);
        boolean pad = c.startsWith("`") || c.endsWith("`");
        return ticks + (pad ? " " : "") + c + (pad ? " " : "") + ticks;
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String html(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Text for a ServiceNow journal or multi-line field (work notes, description). ServiceNow renders
     * text between {@code [code]} and {@code [/code]} in journal fields as HTML ("Journal field type",
     * ServiceNow docs), so a log line carrying {@code [code]<a href=…>[/code]} would become live markup.
     * The bracket of every {@code [code]} / {@code [/code]} tag (any case, spaces allowed) becomes a
     * full-width bracket: the reader sees the text, ServiceNow sees no tag. Everything else is plain text there.
     */
    public static String serviceNowJournal(String text) {
        if (text == null || text.indexOf('[') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '[' && opensCodeTag(text, i + 1) ? '\uFF3B' : c);
        }
        return out.toString();
    }

    private static boolean opensCodeTag(String text, int i) {
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i < n && text.charAt(i) == '/') {
            i++;
        }
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return text.regionMatches(true, i, "code", 0, 4);
    }

    /** A URL safe to put in a link: only http(s) URLs pass, anything else (javascript:, data:) becomes null. */
    public static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String u = url.trim();
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://")) || u.chars().anyMatch(ch -> ch <= ' ' || ch == '"' || ch == '<' || ch == '>')) {
            return null;
        }
        return u;
    }
}
