package io.funnelflow.insights.analyst;

import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.FactKind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analyst that needs no model: it picks the facts that matter most, in a fixed order of
 * importance, and writes each observation and its recommendation from the fact's own figures, so that
 * its sentences change whenever the numbers do.
 */
public final class RuleAnalyst {

    /** The order in which facts are worth an observation. */
    static final List<FactKind> PRIORITY = List.of(FactKind.LARGEST_DROP, FactKind.SEGMENT_GAP, FactKind.DEVICE_GAP,
            FactKind.CART_ABANDONMENT, FactKind.CHANGE_CONVERSION, FactKind.CHANGE_REVENUE, FactKind.TOP_REVENUE_CHANNEL,
            FactKind.CHANGE_SESSIONS, FactKind.PEAK_TIME, FactKind.PEAK_HOUR, FactKind.FUNNEL_OVERALL, FactKind.OVERVIEW);

    /** Facts that can speak for themselves, with fewer than three others. */
    public Optional<Narrative> explain(List<Fact> facts) {
        Map<FactKind, Fact> byKind = new EnumMap<>(FactKind.class);
        facts.forEach(f -> byKind.putIfAbsent(f.kind(), f));
        List<Observation> observations = new ArrayList<>();
        List<Recommendation> recommendations = new ArrayList<>();
        for (FactKind kind : PRIORITY) {
            Fact fact = byKind.get(kind);
            if (fact == null || observations.size() == Narrative.MAX_ITEMS) {
                continue;
            }
            String id = "o" + (observations.size() + 1);
            observations.add(new Observation(id, fact.label() + ".", List.of(fact.id())));
            recommendations.add(new Recommendation(advice(fact), id, List.of(fact.id())));
        }
        if (observations.size() < Narrative.MIN_ITEMS) {
            return Optional.empty();
        }
        return Optional.of(new Narrative(observations, recommendations));
    }

    private static String advice(Fact f) {
        return switch (f.kind()) {
            case LARGEST_DROP -> "Work on the step from " + f.subject().replace(" → ", " to ") + " first: it loses "
                    + f.text("drop_off_rate") + " of the sessions that reach it (" + f.text("sessions_lost")
                    + "); test a clearer call to action and fewer distractions there.";
            case SEGMENT_GAP, DEVICE_GAP -> {
                String[] pair = f.subject().split(" / ");
                yield "Compare the journey of " + pair[1] + " (" + f.text("worst_rate") + ") with " + pair[0] + " ("
                        + f.text("best_rate") + ") and fix what differs; closing even half of the " + f.text("gap")
                        + " gap on " + f.text("worst_sessions") + " sessions is the largest lever among them.";
            }
            case CART_ABANDONMENT -> "Recover the " + f.text("abandoned_carts") + " abandoned carts with reminders and a "
                    + "simpler checkout; " + f.text("abandonment_rate") + " of carts are left behind.";
            case CHANGE_CONVERSION -> f.figure("change").value().signum() < 0
                    ? "Find what changed since the previous period (releases, prices, campaigns): conversion is down to "
                    + f.text("current") + " from " + f.text("previous") + "."
                    : "Keep what changed since the previous period and look for it in the data: conversion reached "
                    + f.text("current") + " from " + f.text("previous") + ".";
            case CHANGE_REVENUE -> f.figure("change").value().signum() < 0
                    ? "Check whether fewer orders or smaller ones explain revenue of " + f.text("current") + " against "
                    + f.text("previous") + ", and act on the larger cause."
                    : "Put more budget where the growth to " + f.text("current") + " from " + f.text("previous") + " came from.";
            case TOP_REVENUE_CHANNEL -> "Protect and grow " + f.subject() + ", which earns " + f.text("share")
                    + " of revenue, and reduce the dependence on one channel by testing the others.";
            case CHANGE_SESSIONS -> f.figure("change").value().signum() < 0
                    ? "Traffic fell to " + f.text("current") + " sessions from " + f.text("previous") + ": review campaign budgets and search visibility."
                    : "Traffic grew to " + f.text("current") + " sessions from " + f.text("previous") + ": make sure the new visitors find what they came for.";
            case PEAK_HOUR -> "Schedule campaigns and keep the site fastest around " + f.text("hour") + " UTC, when "
                    + f.text("share") + " of the activity happens.";
            case PEAK_TIME -> "Time sends and launches for " + f.subject() + "s around " + f.text("hour") + " UTC, the busiest hour of the week ("
                    + f.text("share") + " of the activity).";
            case FUNNEL_OVERALL -> "Track the funnel's end-to-end conversion of " + f.text("conversion_rate")
                    + " as the headline figure after each change.";
            default -> "Keep these figures as the baseline for the next period: " + f.label() + ".";
        };
    }
}
