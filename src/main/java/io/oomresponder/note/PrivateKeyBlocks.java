package io.oomresponder.note;

import com.google.re2j.Pattern;
import io.oomresponder.evidence.ConsoleLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Redaction with memory across lines: a private key logged one line per record (a PEM block printed
 * by a shell script, a config dump, a crash handler) arrives as separate console lines, and each line
 * of the body alone looks like any base64. Within the consecutive lines of one replica, container and
 * stream (in time order), every line from a {@code -----BEGIN … PRIVATE KEY-----} line up to its
 * {@code -----END … PRIVATE KEY-----} line is masked whole. A block that never ends is masked for
 * {@link #MAX_BLOCK_LINES} lines (a 4096-bit RSA key is about 50).
 */
public final class PrivateKeyBlocks {

    /** Lines masked after a BEGIN line that has no END. */
    static final int MAX_BLOCK_LINES = 200;

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern END = Pattern.compile("-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----");

    private PrivateKeyBlocks() {
    }

    /** The lines (by identity) that are part of a private key block in their replica, container and stream. */
    public static Set<ConsoleLine> within(List<ConsoleLine> lines) {
        Map<List<String>, List<ConsoleLine>> streams = new LinkedHashMap<>();
        for (ConsoleLine l : lines) {
            if (l != null) {
                streams.computeIfAbsent(java.util.Arrays.asList(l.replica(), l.container(), l.stream()), k -> new ArrayList<>()).add(l);
            }
        }
        Set<ConsoleLine> inside = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<ConsoleLine> stream : streams.values()) {
            // Stable: lines with the same time keep their order of arrival.
            stream.sort(Comparator.comparing(ConsoleLine::time, Comparator.nullsFirst(Comparator.naturalOrder())));
            int open = 0;
            for (ConsoleLine l : stream) {
                String m = Objects.requireNonNullElse(l.message(), "");
                if (open > 0) {
                    inside.add(l);
                    open = END.matcher(m).find() || ++open > MAX_BLOCK_LINES ? 0 : open;
                } else if (m.contains("-----BEGIN") && BEGIN.matcher(m).find()) {
                    inside.add(l);
                    // A BEGIN line that carries its END (a key on one line) is masked by the catalogue's rule alone.
                    String after = m.substring(m.indexOf("-----BEGIN") + 10);
                    open = END.matcher(after).find() ? 0 : 1;
                }
            }
        }
        return inside;
    }
}
