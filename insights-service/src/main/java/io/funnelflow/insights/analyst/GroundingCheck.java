package io.funnelflow.insights.analyst;

import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.Figure;
import io.funnelflow.insights.facts.Unit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that an answer says only what the facts say: every cited id exists, the shape is the one
 * asked for, and every number in its sentences is one of the facts' figures within the rounding the
 * number is written with ({@code 62%} matches 62.5, {@code 62.4%} does not). A number written as a
 * percent must match a percent (or percentage-point) figure, one written in points a point figure,
 * one with a currency sign an amount; a bare number may match any figure. Whole numbers up to
 * {@value #FREE_SMALL_NUMBER} without a unit are allowed ("two channels", "top 3"), and so are the
 * minutes of a clock time ("14:00").
 */
public final class GroundingCheck {

    static final int FREE_SMALL_NUMBER = 10;

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.,:])([$€£¥]\\s?)?([-+−]?)(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?![\\w])"
                    + "(\\s?(?:%|percentage points?|percent(?:age)?|pp\\b|points?\\b))?",
            Pattern.CASE_INSENSITIVE);

    /** A number found in the text, as written. */
    record Stated(String written, BigDecimal value, int decimals, Kind kind) {
    }

    enum Kind { PERCENT, POINTS, MONEY, BARE }

    /** The problems of an answer; empty when it is grounded. */
    public List<String> violations(Narrative n, List<Fact> facts) {
        List<String> problems = new ArrayList<>();
        Set<String> factIds = new HashSet<>();
        facts.forEach(f -> factIds.add(f.id()));
        List<Figure> figures = facts.stream().flatMap(f -> f.figures().values().stream()).toList();

        if (n.observations().size() < Narrative.MIN_ITEMS || n.observations().size() > Narrative.MAX_ITEMS) {
            problems.add("there must be 3 to 5 observations, not " + n.observations().size());
        }
        if (n.recommendations().size() < Narrative.MIN_ITEMS || n.recommendations().size() > Narrative.MAX_ITEMS) {
            problems.add("there must be 3 to 5 recommendations, not " + n.recommendations().size());
        }
        Set<String> observationIds = new HashSet<>();
        for (Observation o : n.observations()) {
            if (o.id() == null || !observationIds.add(o.id())) {
                problems.add("observation ids must be present and unique, '" + o.id() + "' is not");
            }
            citations("observation " + o.id(), o.factIds(), factIds, problems);
            numbers("observation " + o.id(), o.text(), figures, problems);
        }
        for (int i = 0; i < n.recommendations().size(); i++) {
            Recommendation r = n.recommendations().get(i);
            String where = "recommendation " + (i + 1);
            if (r.observationId() == null || !observationIds.contains(r.observationId())) {
                problems.add(where + " is tied to observation '" + r.observationId() + "', which does not exist");
            }
            citations(where, r.factIds(), factIds, problems);
            numbers(where, r.text(), figures, problems);
        }
        return problems;
    }

    private static void citations(String where, List<String> cited, Set<String> known, List<String> problems) {
        if (cited.isEmpty()) {
            problems.add(where + " cites no fact id");
        }
        for (String id : cited) {
            if (!known.contains(id)) {
                problems.add(where + " cites fact id '" + id + "', which was not given");
            }
        }
    }

    private static void numbers(String where, String text, List<Figure> figures, List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add(where + " has no text");
            return;
        }
        for (Stated s : extract(text)) {
            if (!grounded(s, figures)) {
                problems.add(where + " states " + s.written() + ", which is not one of the given figures");
            }
        }
    }

    /** Every number in a text, with the unit it is written with. */
    static List<Stated> extract(String text) {
        List<Stated> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            String digits = m.group(3).replace(",", "");
            BigDecimal value = new BigDecimal(digits);
            if (!m.group(2).isEmpty() && !m.group(2).equals("+")) {
                value = value.negate();
            }
            int dot = digits.indexOf('.');
            int decimals = dot < 0 ? 0 : digits.length() - dot - 1;
            String unit = m.group(4) == null ? "" : m.group(4).trim().toLowerCase(Locale.ROOT);
            Kind kind = m.group(1) != null ? Kind.MONEY
                    : unit.equals("%") || unit.startsWith("percent") ? Kind.PERCENT
                    : unit.isEmpty() ? Kind.BARE : Kind.POINTS;
            out.add(new Stated(m.group().trim(), value, decimals, kind));
        }
        return out;
    }

    static boolean grounded(Stated s, List<Figure> figures) {
        if (s.kind() == Kind.BARE && s.decimals() == 0 && s.value().abs().compareTo(BigDecimal.valueOf(FREE_SMALL_NUMBER)) <= 0) {
            return true;
        }
        BigDecimal tolerance = BigDecimal.ONE.movePointLeft(s.decimals()).divide(BigDecimal.valueOf(2));
        for (Figure f : figures) {
            if (!compatible(s.kind(), f.unit())) {
                continue;
            }
            if (s.value().abs().subtract(f.value().abs()).abs().compareTo(tolerance) <= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean compatible(Kind kind, Unit unit) {
        return switch (kind) {
            case PERCENT -> unit == Unit.PERCENT || unit == Unit.PERCENTAGE_POINTS;
            case POINTS -> unit == Unit.PERCENTAGE_POINTS;
            case MONEY -> unit == Unit.CURRENCY;
            case BARE -> true;
        };
    }
}
