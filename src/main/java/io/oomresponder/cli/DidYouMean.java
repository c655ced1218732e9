package io.oomresponder.cli;

import io.oomresponder.simulator.ScenarioCatalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The closest valid name to a mistyped one ("leak/clasic" → "leak/classic"), for the usage line of
 * a command: picocli suggests options and commands itself, scenario names are ours.
 */
final class DidYouMean {

    private DidYouMean() {
    }

    /**
     * The valid name nearest to {@code given}, when it is near enough to be a slip: at most a third of
     * the given name's length in single-character edits (insert, delete, replace, swap two
     * neighbours), at least one.
     */
    static Optional<String> closest(String given, Collection<String> valid) {
        String g = given.toLowerCase(java.util.Locale.ROOT);
        int allowed = Math.max(1, g.length() / 3);
        record Candidate(String name, int distance) {
        }
        return valid.stream()
                .map(v -> new Candidate(v, distance(g, v.toLowerCase(java.util.Locale.ROOT))))
                .filter(c -> c.distance() <= allowed)
                .min(Comparator.comparingInt(Candidate::distance))
                .map(Candidate::name);
    }

    /** "unknown scenario 'x'; did you mean y? (...)", or the valid names when none is close. */
    static String unknownScenario(String given) {
        List<String> names = ScenarioCatalog.names();
        return "unknown scenario '" + given + "'" + closest(given, names)
                .map(n -> "; did you mean " + n + "? (--scenario list shows all " + names.size() + ")")
                .orElse("; valid: " + String.join(", ", names));
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
