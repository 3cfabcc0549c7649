package io.funnelflow.crm.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A version of the lead rules, read from its JSON document (see {@code crm/default-rules.json}):
 *
 * <ul>
 *   <li>{@code score}: points per unit of each signal, each capped; the intent score is their sum, 0–100;</li>
 *   <li>{@code health}: Active, then Stale after {@code stale_after_days} of silence, Dormant after {@code dormant_after_days};</li>
 *   <li>{@code stages}: the highest stage whose conditions all hold is where the lead may go; stages only move forward;</li>
 *   <li>{@code recycle}: named rules that send a lead of some stages back to a lower one while their conditions hold;</li>
 *   <li>{@code tracks}: the first nurture track whose conditions hold (the last one has none: the default);</li>
 *   <li>{@code owners}: the team that owns each stage.</li>
 * </ul>
 */
public record Rules(int version, List<StageRule> stages, List<RecycleRule> recycle, ScoreRule score, HealthRule health,
                    List<TrackRule> tracks, Map<Stage, String> owners, JsonNode document) {

    /** The rule id of owner assignment by stage. */
    public static final String OWNERS_RULE = "owners";
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final Set<String> TOP = Set.of("stages", "recycle", "score", "health", "tracks", "owners");
    /** What a document may weigh when it is sent. */
    public static final int MAX_BYTES = 64 * 1024;
    static final int MAX_RULES = 100;
    static final int MAX_CONDITIONS = 20;

    public record StageRule(String id, Stage stage, List<Condition> when) {
    }

    public record RecycleRule(String id, Set<Stage> from, Stage to, List<Condition> when) {
    }

    public record ScoreSignal(String signal, double points, double max) {
    }

    public record ScoreRule(String id, List<ScoreSignal> signals) {
    }

    public record HealthRule(String id, int staleAfterDays, int dormantAfterDays) {
    }

    public record TrackRule(String id, String track, List<Condition> when) {
    }

    /** The rules the platform starts with (version 1 until someone applies another). */
    public static JsonNode defaultDocument() {
        try (InputStream in = Rules.class.getClassLoader().getResourceAsStream("crm/default-rules.json")) {
            if (in == null) {
                throw new IllegalStateException("crm/default-rules.json is missing from the classpath");
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Rules defaults() {
        return parse(1, defaultDocument());
    }

    /** The track names these rules can assign. */
    public Set<String> trackNames() {
        Set<String> names = new HashSet<>();
        tracks.forEach(t -> names.add(t.track()));
        return names;
    }

    /**
     * Reads and checks a document.
     *
     * @throws RulesException naming the part that is wrong and why
     */
    public static Rules parse(int version, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new RulesException("body", "must be a JSON object with stages, recycle, score, health, tracks and owners");
        }
        for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP.contains(name)) {
                throw new RulesException(name, "is not a part of the rules; use " + String.join(", ", TOP.stream().sorted().toList()));
            }
        }
        Set<String> ids = new HashSet<>();
        List<StageRule> stages = new ArrayList<>();
        for (JsonNode r : list(doc, "stages", true)) {
            String path = "stages[" + stages.size() + "]";
            stages.add(new StageRule(id(r, path, ids), stage(r.get("stage"), path + ".stage"), conditions(r, path)));
        }
        List<RecycleRule> recycle = new ArrayList<>();
        for (JsonNode r : list(doc, "recycle", false)) {
            String path = "recycle[" + recycle.size() + "]";
            String id = id(r, path, ids);
            JsonNode from = r.get("from");
            if (from == null || !from.isArray() || from.isEmpty()) {
                throw new RulesException(path + ".from", "must be a non-empty list of stages");
            }
            Set<Stage> fromStages = EnumSet.noneOf(Stage.class);
            for (int i = 0; i < from.size(); i++) {
                fromStages.add(stage(from.get(i), path + ".from[" + i + "]"));
            }
            Stage to = stage(r.get("to"), path + ".to");
            if (fromStages.stream().anyMatch(s -> s.compareTo(to) <= 0)) {
                throw new RulesException(path + ".to", "must be lower than every stage of from: a recycle rule moves a lead back");
            }
            List<Condition> when = conditions(r, path);
            if (when.isEmpty()) {
                throw new RulesException(path + ".when", "must have at least one condition: a lead is recycled only for a reason");
            }
            recycle.add(new RecycleRule(id, fromStages, to, when));
        }
        ScoreRule score = score(doc.get("score"), ids);
        HealthRule health = health(doc.get("health"), ids);
        List<TrackRule> tracks = new ArrayList<>();
        for (JsonNode r : list(doc, "tracks", true)) {
            String path = "tracks[" + tracks.size() + "]";
            String id = id(r, path, ids);
            JsonNode track = r.get("track");
            if (track == null || !track.isTextual() || track.asText().isBlank() || track.asText().length() > 40) {
                throw new RulesException(path + ".track", "must be the track's name (1-40 characters)");
            }
            tracks.add(new TrackRule(id, track.asText().trim(), conditions(r, path)));
        }
        if (!tracks.get(tracks.size() - 1).when().isEmpty()) {
            throw new RulesException("tracks[" + (tracks.size() - 1) + "].when",
                    "must be empty: the last track is the default, so that every lead has one");
        }
        JsonNode owners = doc.get("owners");
        if (owners == null || !owners.isObject()) {
            throw new RulesException("owners", "must be an object naming the team of each stage: Lead, MQL, SQL, Customer");
        }
        Map<Stage, String> ownerMap = new EnumMap<>(Stage.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = owners.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Stage s = Stage.of(e.getKey()).orElseThrow(() -> new RulesException("owners." + e.getKey(),
                    "is not a stage; use " + String.join(", ", Stage.NAMES)));
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank() || e.getValue().asText().length() > 64) {
                throw new RulesException("owners." + e.getKey(), "must be the team's name (1-64 characters)");
            }
            ownerMap.put(s, e.getValue().asText().trim());
        }
        for (Stage s : Stage.values()) {
            if (!ownerMap.containsKey(s)) {
                throw new RulesException("owners." + s.label(), "is missing: every stage has an owning team");
            }
        }
        return new Rules(version, List.copyOf(stages), List.copyOf(recycle), score, health, List.copyOf(tracks),
                Map.copyOf(ownerMap), doc.deepCopy());
    }

    private static List<JsonNode> list(JsonNode doc, String name, boolean required) {
        JsonNode node = doc.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new RulesException(name, "is required: a non-empty list of rules");
            }
            return List.of();
        }
        if (!node.isArray() || (required && node.isEmpty())) {
            throw new RulesException(name, "must be a " + (required ? "non-empty " : "") + "list of rules");
        }
        if (node.size() > MAX_RULES) {
            throw new RulesException(name, "has " + node.size() + " rules; at most " + MAX_RULES);
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static String id(JsonNode rule, String path, Set<String> ids) {
        if (!rule.isObject()) {
            throw new RulesException(path, "must be an object with an id");
        }
        String id = rule.path("id").asText("");
        if (!ID.matcher(id).matches()) {
            throw new RulesException(path + ".id", "must be 1-64 letters, digits, '-', '_' or '.', not '" + id + "'");
        }
        if (id.equals("import") || id.equals("override") || id.equals(OWNERS_RULE) || !ids.add(id)) {
            throw new RulesException(path + ".id", "'" + id + "' is taken: every rule has its own id");
        }
        return id;
    }

    private static Stage stage(JsonNode node, String path) {
        return Stage.of(node == null || !node.isTextual() ? null : node.asText())
                .orElseThrow(() -> new RulesException(path, "must be one of " + String.join(", ", Stage.NAMES)));
    }

    private static List<Condition> conditions(JsonNode rule, String path) {
        JsonNode when = rule.get("when");
        if (when == null || when.isNull()) {
            return List.of();
        }
        if (!when.isArray()) {
            throw new RulesException(path + ".when", "must be a list of conditions (all must hold)");
        }
        if (when.size() > MAX_CONDITIONS) {
            throw new RulesException(path + ".when", "has " + when.size() + " conditions; at most " + MAX_CONDITIONS);
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < when.size(); i++) {
            out.add(Condition.parse(when.get(i), path + ".when[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private static ScoreRule score(JsonNode node, Set<String> ids) {
        if (node == null || !node.isObject()) {
            throw new RulesException("score", "must be an object with an id and signals");
        }
        String id = id(node, "score", ids);
        JsonNode signals = node.get("signals");
        if (signals == null || !signals.isArray() || signals.isEmpty() || signals.size() > MAX_RULES) {
            throw new RulesException("score.signals", "must be a list of 1-" + MAX_RULES + " signals with their points");
        }
        List<ScoreSignal> out = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            JsonNode s = signals.get(i);
            String path = "score.signals[" + i + "]";
            String signal = s.path("signal").asText("");
            if (!Condition.NUMERIC.contains(signal) || signal.equals("intent_score") || signal.equals("days_since_engaged")) {
                throw new RulesException(path + ".signal", "must be a numeric signal of the lead (sessions, page_views, product_views, "
                        + "cart_adds, checkouts, purchases, revenue, purchase_probability, imported_score), not '" + signal
                        + "'; silence is what health rules are for");
            }
            if (!s.path("points").isNumber()) {
                throw new RulesException(path + ".points", "must be a number: the points per unit of the signal");
            }
            if (!s.path("max").isNumber() || s.path("max").doubleValue() < 0 || s.path("max").doubleValue() > 100) {
                throw new RulesException(path + ".max", "must be a number from 0 to 100: the most this signal can give");
            }
            out.add(new ScoreSignal(signal, s.path("points").doubleValue(), s.path("max").doubleValue()));
        }
        return new ScoreRule(id, List.copyOf(out));
    }

    private static HealthRule health(JsonNode node, Set<String> ids) {
        if (node == null || !node.isObject()) {
            throw new RulesException("health", "must be an object with an id, stale_after_days and dormant_after_days");
        }
        String id = id(node, "health", ids);
        JsonNode stale = node.get("stale_after_days");
        JsonNode dormant = node.get("dormant_after_days");
        if (stale == null || !stale.canConvertToInt() || !stale.isIntegralNumber() || stale.intValue() < 1 || stale.intValue() > 3650) {
            throw new RulesException("health.stale_after_days", "must be a whole number of days from 1 to 3650");
        }
        if (dormant == null || !dormant.isIntegralNumber() || dormant.intValue() <= stale.intValue() || dormant.intValue() > 3650) {
            throw new RulesException("health.dormant_after_days", "must be a whole number of days above stale_after_days, at most 3650");
        }
        return new HealthRule(id, stale.intValue(), dormant.intValue());
    }
}
