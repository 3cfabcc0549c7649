package io.funnelflow.insights.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Words as the guards compare them: lower case, light stemming, small words and fillers left out. */
final class Words {

    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'-]*");
    static final Set<String> STOP = Set.of("the", "a", "an", "and", "or", "but", "of", "to", "for", "in", "on", "at", "by", "with",
            "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "their", "they", "them", "there",
            "about", "into", "over", "than", "too", "very", "not", "no", "yet", "so", "if", "then", "we", "our", "you", "your",
            "has", "have", "had", "do", "does", "did", "can", "could", "will", "would", "should", "may", "might", "also", "just",
            "more", "most", "some", "any", "all", "each", "per", "how", "what", "which", "who", "when", "why", "current", "lead");
    private static final String[] SUFFIXES = {"ations", "ation", "ities", "ity", "ness", "ments", "ment", "ings", "ing", "ives", "ive",
            "ions", "ion", "ers", "er", "ed", "es", "ly", "al", "s", "e"};

    private Words() {
    }

    static List<String> all(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The words that carry meaning: not fillers, at least three letters (or any number). */
    static List<String> content(String text) {
        return all(text).stream().filter(w -> !STOP.contains(w) && (w.length() >= 3 || w.chars().allMatch(Character::isDigit))).toList();
    }

    static String stem(String word) {
        String w = word.replace("'", "");
        for (String s : SUFFIXES) {
            if (w.endsWith(s) && w.length() - s.length() >= 4) {
                return w.substring(0, w.length() - s.length());
            }
        }
        return w;
    }

    /** Whether {@code word} is one of {@code known}, or shares its stem with one (complexity / complex, fits / fit). */
    static boolean traceable(String word, Set<String> known, Set<String> knownStems) {
        if (known.contains(word)) {
            return true;
        }
        String s = stem(word);
        if (knownStems.contains(s)) {
            return true;
        }
        for (String k : knownStems) {
            if (k.length() >= 5 && s.length() >= 5 && (k.startsWith(s) || s.startsWith(k))) {
                return true;
            }
        }
        return false;
    }
}
