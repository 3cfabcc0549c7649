package io.funnelflow.insights.crm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guard and the template of reactivation e-mails, drafted from a lead's record only. A draft is accepted
 * only when every fact it states is in the record: each number and date, each name (a capitalised word not
 * opening a sentence), any price, percentage or offer. It may not write an unsubscribe line (the sender's
 * template adds one) and is bounded in length. The template writes from the record's fields alone.
 */
public final class ReactivationEmails {

    public static final int MAX_SUBJECT = 120;
    public static final int MAX_BODY = 2000;
    static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,:/-]\\d+)*");
    static final Pattern NAME = Pattern.compile("\\b(\\p{Lu}[\\p{L}'-]+)");
    static final Pattern OFFER = Pattern.compile("[%$€£]|\\b(discount|coupon|voucher|free|offer|off|deal|promo|refund|guarantee)\\b",
            Pattern.CASE_INSENSITIVE);
    static final Set<String> COMMON = Set.of("I", "Hi", "Hello", "Dear", "Best", "Regards", "Thanks", "Thank", "Cheers", "Kind",
            "Warm", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
            "April", "May", "June", "July", "August", "September", "October", "November", "December", "PS", "P.S");

    /** The record fields a draft may use. */
    public static final List<String> FIELDS = List.of("lead_id", "first_name", "company_size", "source", "engagement_channel",
            "last_engaged", "stage", "nurture_track", "sales_owner", "pain_point", "product", "sender");

    private ReactivationEmails() {
    }

    /** Why the draft is not supported by the record; empty when it is. */
    public static List<String> violations(String subject, String body, Map<String, String> record) {
        List<String> out = new ArrayList<>();
        if (subject == null || subject.isBlank() || body == null || body.isBlank()) {
            return List.of("the subject or the body is empty");
        }
        if (subject.length() > MAX_SUBJECT || subject.contains("\n")) {
            out.add("the subject is not one line of at most " + MAX_SUBJECT + " characters");
        }
        if (body.length() > MAX_BODY) {
            out.add("the body is " + body.length() + " characters long; at most " + MAX_BODY);
        }
        String all = subject + "\n" + body;
        if (all.toLowerCase(Locale.ROOT).contains("unsubscribe")) {
            out.add("it writes an unsubscribe line, which the sender's template adds");
        }
        String values = String.join("\n", record.values());
        String lowerValues = values.toLowerCase(Locale.ROOT);
        Set<String> valueWords = new HashSet<>(Words.all(values));
        // a number is a fact of the record when the record holds it, whole or as a part (14 of 2026-09-14, 50 of 11-50)
        Set<String> numbers = new HashSet<>();
        Matcher known = NUMBER.matcher(values);
        while (known.find()) {
            numbers.add(known.group());
            numbers.addAll(List.of(known.group().split("[.,:/-]")));
        }
        Matcher n = NUMBER.matcher(all);
        while (n.find()) {
            if (!numbers.contains(n.group())) {
                out.add("it states " + n.group() + ", which is not in the lead's record");
            }
        }
        Matcher o = OFFER.matcher(all);
        while (o.find()) {
            if (!lowerValues.contains(o.group().toLowerCase(Locale.ROOT))) {
                out.add("it promises '" + o.group() + "', which the lead's record does not offer");
            }
        }
        for (String line : all.split("\n")) {
            Matcher m = NAME.matcher(line);
            while (m.find()) {
                String word = m.group(1);
                if (m.start() == 0 || COMMON.contains(word) || valueWords.contains(word.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                String before = line.substring(0, m.start()).stripTrailing();
                if (before.isEmpty() || before.endsWith(".") || before.endsWith("!") || before.endsWith("?") || before.endsWith(":")
                        || before.endsWith("\"")) {
                    continue;
                }
                out.add("it names '" + word + "', which is not in the lead's record");
            }
        }
        return out.stream().distinct().toList();
    }

    /** The template: the record's own fields in fixed sentences. */
    public static Map<String, String> template(Map<String, String> r) {
        String greeting = r.get("first_name") != null ? "Hi " + r.get("first_name") + "," : "Hello,";
        StringBuilder body = new StringBuilder(greeting).append("\n\n");
        if (r.get("last_engaged") != null) {
            body.append("We last heard from you on ").append(r.get("last_engaged"));
            body.append(r.get("engagement_channel") != null ? " by " + r.get("engagement_channel") + ".\n\n" : ".\n\n");
        }
        if (r.get("pain_point") != null) {
            body.append("When we spoke, you mentioned: ").append(r.get("pain_point")).append("\n");
            body.append("If that is still on your mind, we would be glad to go through it with you.\n\n");
        } else {
            body.append("If you are still looking at ").append(r.getOrDefault("product", "our product"))
                    .append(", we would be glad to answer your questions.\n\n");
        }
        body.append("Just reply to this e-mail to pick a time.\n\n");
        body.append(r.get("sales_owner") != null ? r.get("sales_owner") : r.getOrDefault("sender", "The team"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("subject", "Still interested in " + r.getOrDefault("product", "our product") + "?");
        out.put("body", body.toString());
        return out;
    }
}
