package io.funnelflow.insights.crm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The guard and the fallback of pain-point summaries. A summary is accepted only when it is one line of at
 * most {@value #MAX_LENGTH} characters and every phrase of it (the parts between commas, semicolons, "and",
 * "but") is traceable to the call notes: each of its meaningful words is a word of the notes or shares its
 * stem. The rule-based extract is the notes' own sentence that names a difficulty.
 */
public final class PainPoints {

    public static final int MAX_LENGTH = 200;
    static final Pattern PHRASES = Pattern.compile("\\s*(?:[,;:.!?()\\u2013\\u2014]+|\\band\\b|\\bbut\\b|\\bwith\\b)\\s*", Pattern.CASE_INSENSITIVE);
    static final Pattern SENTENCES = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    static final List<String> CUES = List.of("too ", "concern", "worried", "complex", "expensive", "high", "missing", "slow", "long",
            "problem", "issue", "difficult", "not sure", "confus", "manual", "tight", "complain", "hard", "lack", "can't", "cannot");

    private PainPoints() {
    }

    /** Why the summary is not supported by the notes: one line per problem, empty when it is. */
    public static List<String> violations(String summary, String notes) {
        List<String> out = new ArrayList<>();
        if (summary == null || summary.isBlank()) {
            return List.of("the summary is empty");
        }
        if (summary.contains("\n")) {
            out.add("the summary is not one line");
        }
        if (summary.length() > MAX_LENGTH) {
            out.add("the summary is " + summary.length() + " characters long; at most " + MAX_LENGTH);
        }
        Set<String> known = new HashSet<>(Words.all(notes));
        Set<String> stems = new HashSet<>();
        known.forEach(w -> stems.add(Words.stem(w)));
        for (String phrase : PHRASES.split(summary)) {
            if (phrase.isBlank()) {
                continue;
            }
            List<String> missing = Words.content(phrase).stream().filter(w -> !Words.traceable(w, known, stems)).toList();
            if (!missing.isEmpty()) {
                out.add("the phrase '" + phrase.trim() + "' is not in the notes (" + String.join(", ", missing) + ")");
            }
        }
        return out;
    }

    /** The notes' first sentence that names a difficulty (else their first sentence), shortened to one line. */
    public static String extract(String notes) {
        List<String> sentences = new ArrayList<>();
        for (String s : SENTENCES.split(notes.strip())) {
            if (!s.isBlank()) {
                sentences.add(s.strip());
            }
        }
        String pick = sentences.isEmpty() ? notes.strip() : sentences.get(0);
        outer:
        for (String s : sentences) {
            String lower = s.toLowerCase(Locale.ROOT);
            for (String cue : CUES) {
                if (lower.contains(cue)) {
                    pick = s;
                    break outer;
                }
            }
        }
        pick = pick.replaceAll("\\s+", " ");
        if (pick.length() > 160) {
            int cut = pick.lastIndexOf(' ', 159);
            pick = pick.substring(0, cut > 40 ? cut : 159) + "…";
        }
        return pick;
    }
}
