package io.oomresponder.simulator.azure;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a KQL text into its string literals and the code around them, the way Kusto reads
 * {@code '...'} and {@code "..."} with backslash escapes. The simulator uses it to find the app
 * name a query selects and tests use it to prove outside values stay inside literals.
 */
public final class KqlLiterals {

    private final List<String> literals;
    private final String code;

    private KqlLiterals(List<String> literals, String code) {
        this.literals = List.copyOf(literals);
        this.code = code;
    }

    /**
     * Tokenises {@code kql}.
     *
     * @throws IllegalArgumentException when a literal is not closed (an escaping bug)
     */
    public static KqlLiterals parse(String kql) {
        List<String> literals = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < kql.length()) {
            char c = kql.charAt(i);
            if (c == '/' && i + 1 < kql.length() && kql.charAt(i + 1) == '/') {
                int nl = kql.indexOf('\n', i);
                i = nl < 0 ? kql.length() : nl;
                continue;
            }
            if (c != '\'' && c != '"') {
                code.append(c);
                i++;
                continue;
            }
            StringBuilder lit = new StringBuilder();
            int j = i + 1;
            boolean closed = false;
            while (j < kql.length()) {
                char d = kql.charAt(j);
                if (d == '\\' && j + 1 < kql.length()) {
                    char e = kql.charAt(j + 1);
                    lit.append(switch (e) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> e;
                    });
                    j += 2;
                } else if (d == c) {
                    closed = true;
                    j++;
                    break;
                } else if (d == '\n' || d == '\r') {
                    throw new IllegalArgumentException("line break inside a KQL string literal at " + j);
                } else {
                    lit.append(d);
                    j++;
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("unterminated KQL string literal starting at " + i);
            }
            literals.add(lit.toString());
            code.append("<lit>");
            i = j;
        }
        return new KqlLiterals(literals, code.toString());
    }

    /** The unescaped values of the string literals, in order. */
    public List<String> literals() {
        return literals;
    }

    /** The query with each literal replaced by {@code <lit>} and comments removed. */
    public String code() {
        return code;
    }
}
