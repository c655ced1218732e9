package io.oomresponder.note;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.1: no log line can stall redaction. For every rule of the catalogue, adversarial inputs
 * built from the rule's own alphabet, keywords and separators grow from 512 characters to 8 KB; the
 * work each takes (characters read by the regex engine, counted, not timed) must grow linearly and
 * stay far below the line's budget. A line over budget is withheld, never shown unmasked.
 */
class RedactorWorkTest {

    private static final int[] SIZES = {512, 2048, 8192};
    /** The bound every rule keeps on every adversarial input: characters read per input character. */
    private static final long RULE_WORK_PER_CHAR = 40;
    /** A linear rule's work grows 16x from 512 to 8 KB; a quadratic one 256x. */
    private static final double MAX_GROWTH_512_TO_8K = 16 * 1.5;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theIssuesLineIsRedactedInLinearWork() {
        // The line that held both queue workers in keyword-assignment's backtracking.
        String line = "ERROR login rejected: invalid api key for client " + "aB.".repeat(40) + "!";
        Redactor.Work work = new Redactor.Work(Long.MAX_VALUE);
        String redacted = Redactor.redact(line, 10_000, work);
        assertThat(redacted).isEqualTo(line);
        assertThat(work.used()).isLessThan(Redactor.budgetFor(line.length()) / 10);
        String longer = "ERROR login rejected: invalid api key for client " + "aB.".repeat(2_000) + "!";
        Redactor.Work more = new Redactor.Work(Long.MAX_VALUE);
        Redactor.redact(longer, 10_000, more);
        System.out.printf("issue line: %d chars -> %d reads; %d chars -> %d reads%n", line.length(), work.used(), longer.length(), more.used());
        assertThat((double) more.used() / work.used()).isLessThan(2.0 * longer.length() / line.length());
    }

    @Test
    void everyRuleTakesLinearWorkOnAdversarialInputs() {
        List<String> report = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        long worstPerChar = 0;
        String worstRule = null;
        for (Redactor.Rule rule : Redactor.rules()) {
            for (String unit : adversarialUnits(rule)) {
                long[] work = new long[SIZES.length];
                for (int i = 0; i < SIZES.length; i++) {
                    String input = grow(rule, unit, SIZES[i]);
                    Redactor.Work w = new Redactor.Work(Long.MAX_VALUE);
                    Redactor.maskWith(rule, input, w);
                    work[i] = w.used();
                    long perChar = work[i] / input.length();
                    if (perChar > worstPerChar) {
                        worstPerChar = perChar;
                        worstRule = rule.id() + " on " + abbreviate(unit);
                    }
                    if (work[i] > RULE_WORK_PER_CHAR * input.length()) {
                        broken.add(rule.id() + " on '" + abbreviate(unit) + "' x" + input.length() + ": " + work[i] + " reads");
                    }
                }
                double growth = (double) Math.max(work[SIZES.length - 1], 1) / Math.max(work[0], SIZES[0]);
                if (growth > MAX_GROWTH_512_TO_8K) {
                    broken.add(rule.id() + " on '" + abbreviate(unit) + "': work grew " + growth + "x from 512 to 8K chars");
                }
            }
            report.add(rule.id());
        }
        System.out.printf("adversarial redaction: %d rules, worst %d reads per char (%s)%n", report.size(), worstPerChar, worstRule);
        assertThat(broken).as("rules over their work bound").isEmpty();
        assertThat(report).hasSize(Redactor.rules().size()).hasSizeGreaterThanOrEqualTo(78);
    }

    @Test
    void theWholeCatalogueStaysWellWithinTheLineBudgetOnEveryAdversarialInput() {
        long worst = 0;
        String worstInput = null;
        for (Redactor.Rule rule : Redactor.rules()) {
            // The first units of each rule: its alphabet, the issue's segments and its first keyword's shapes.
            for (String unit : adversarialUnits(rule).subList(0, 12)) {
                String input = grow(rule, unit, 8192);
                Redactor.Work w = new Redactor.Work(Long.MAX_VALUE);
                String out = Redactor.redact(input, 8192, w);
                assertThat(out).isNotEqualTo(Redactor.WITHHELD);
                if (w.used() > worst) {
                    worst = w.used();
                    worstInput = rule.id() + " on " + abbreviate(unit);
                }
            }
        }
        System.out.printf("adversarial redaction, all rules on 8 KB: worst %d reads (%d per char; budget %d per char), %s%n",
                worst, worst / 8192, Redactor.WORK_PER_CHAR, worstInput);
        assertThat(worst).isLessThan(Redactor.budgetFor(8192) / 4);
    }

    @Test
    void aLineOverItsBudgetIsWithheldNeverShownUnmasked() {
        String line = "DB_PASSWORD=hunter2-Secret! and then " + "aB.".repeat(100);
        String redacted = Redactor.redact(line, 10_000, new Redactor.Work(500));
        assertThat(redacted).isEqualTo(Redactor.WITHHELD).doesNotContain("hunter2");
        assertThat(Redactor.redact(line, 10_000)).doesNotContain("hunter2").contains(Redactor.MASK);
    }

    @Test
    void noRuleSeesMoreThanTheInputCap() {
        String line = "x".repeat(100_000) + " password=hunter2";
        Redactor.Work w = new Redactor.Work(Long.MAX_VALUE);
        String out = Redactor.redact(line, 100_000, w);
        assertThat(out).doesNotContain("hunter2").hasSizeLessThanOrEqualTo(Redactor.MAX_INPUT_CHARS);
        assertThat(w.used()).isLessThan(Redactor.budgetFor(Redactor.MAX_INPUT_CHARS));
    }

    /** Units to repeat: the rule's alphabet cycled, its keywords and literal words glued to each separator, and the issue's "aB." segments. */
    static List<String> adversarialUnits(Redactor.Rule rule) {
        String regex = rule.pattern().pattern();
        Set<String> words = new LinkedHashSet<>(rule.keywords());
        Matcher literal = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9]{1,}").matcher(regex.replaceAll("\\\\[a-zA-Z]", " "));
        while (literal.find() && words.size() < 6) {
            words.add(literal.group());
        }
        String separators = separators(regex);
        Set<String> units = new LinkedHashSet<>();
        units.add(alphabet(regex));
        units.add("aB.");
        units.add("aB" + separators.charAt(0));
        for (String w : words) {
            units.add(w);
            for (char sep : separators.substring(0, Math.min(separators.length(), 6)).toCharArray()) {
                units.add(w + sep);
                units.add(w + sep + "aB");
            }
        }
        return new ArrayList<>(units);
    }

    /** The punctuation the regex names (literally or in classes), plus space, = and : (the shapes of assignments). */
    private static String separators(String regex) {
        StringBuilder out = new StringBuilder(" =:");
        for (char c : regex.toCharArray()) {
            if ("._-/@:;,=&?\"'<>~+!#%|".indexOf(c) >= 0 && out.indexOf(String.valueOf(c)) < 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Every character class range and literal of the regex, one of each. */
    private static String alphabet(String regex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (i + 2 < regex.length() && regex.charAt(i + 1) == '-' && Character.isLetterOrDigit(c) && Character.isLetterOrDigit(regex.charAt(i + 2))) {
                for (char x = c; x <= regex.charAt(i + 2); x++) {
                    out.append(x);
                }
                i += 2;
            } else if (c >= ' ' && c < 0x7F && c != '\\') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The first keyword (so the rule runs), then the unit repeated to {@code size} characters. */
    private static String grow(Redactor.Rule rule, String unit, int size) {
        String head = rule.keywords().isEmpty() ? "" : rule.keywords().get(0) + " ";
        StringBuilder b = new StringBuilder(size).append(head);
        while (b.length() < size) {
            b.append(unit);
        }
        b.setLength(size);
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "…" : s;
    }
}
