package io.funnelflow.crm;

import java.time.Duration;
import java.time.Instant;

/**
 * The default rules written out by hand, apart from the service's evaluator: what a lead's score, health,
 * stage (with its reason), track and owner must be.
 */
final class LeadOracle {

    record Expected(int score, String health, String stage, String stageReason, String track, String owner) {
    }

    private LeadOracle() {
    }

    static Expected expect(Integer importedScore, String importedStage, Instant lastEngaged, Instant asOf, int sessions,
                           int productViews, int cartAdds, int checkouts, int purchases, Double probability) {
        double points = (importedScore == null ? 0 : Math.min(100, importedScore))
                + Math.min(10, 2 * sessions) + Math.min(16, 2 * productViews) + Math.min(24, 8 * cartAdds) + Math.min(24, 12 * checkouts)
                + (probability == null ? 0 : Math.min(30, 30 * probability));
        int score = (int) Math.max(0, Math.min(100, Math.round(points)));
        long days = Duration.between(lastEngaged, asOf).toDays();
        String health = days >= 60 ? "Dormant" : days >= 14 ? "Stale" : "Active";
        String stage;
        String reason;
        if (purchases >= 1) {
            stage = "Customer";
            reason = "rule customer-purchased: purchases " + purchases + " >= 1";
        } else if (score >= 70 && health.equals("Active")) {
            stage = "SQL";
            reason = "rule sql-high-intent: intent_score " + score + " >= 70 and engagement_health Active = Active";
        } else if (score >= 40) {
            stage = "MQL";
            reason = "rule mql-interested: intent_score " + score + " >= 40";
        } else {
            stage = "Lead";
            reason = "rule lead-known (no conditions)";
        }
        if (importedStage != null && order(importedStage) > order(stage)) {
            stage = importedStage;
            reason = "imported as " + importedStage;
        }
        if (stage.equals("MQL") && health.equals("Dormant")) {
            stage = "Lead";
            reason = "recycled from MQL to Lead by recycle-dormant-mql: engagement_health Dormant = Dormant";
        }
        String track = !health.equals("Active") ? "Reactivation" : stage.equals("MQL") || stage.equals("SQL") ? "Conversion" : "Education";
        String owner = switch (stage) {
            case "Lead" -> "Marketing";
            case "MQL" -> "Marketing Ops";
            case "SQL" -> "SDR/AE";
            default -> "CSM";
        };
        return new Expected(score, health, stage, reason, track, owner);
    }

    static int order(String stage) {
        return switch (stage) {
            case "Lead" -> 0;
            case "MQL" -> 1;
            case "SQL" -> 2;
            default -> 3;
        };
    }
}
