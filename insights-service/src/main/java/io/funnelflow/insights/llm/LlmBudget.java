package io.funnelflow.insights.llm;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What the LLM may cost: a rate of calls (a token bucket, per minute) and a number of tokens per UTC day,
 * counted from the usage the provider reports with each answer. A call is made only while both allow it;
 * otherwise the reason names the limit, and the rule-based analyst answers. The last call of a day may take
 * the count past the budget (a call's size is known only from its answer); none follows it that day.
 */
public final class LlmBudget {

    private final long callsPerMinute;
    private final long dailyTokens;
    private final Bucket calls;
    private final Clock clock;
    private LocalDate day;
    private long tokensToday;

    /**
     * @param callsPerMinute calls allowed per minute (0: no limit)
     * @param dailyTokens    tokens allowed per UTC day (0: no limit)
     */
    public LlmBudget(long callsPerMinute, long dailyTokens, Clock clock) {
        if (callsPerMinute < 0 || dailyTokens < 0) {
            throw new IllegalArgumentException("FUNNELFLOW_LLM_CALLS_PER_MINUTE and FUNNELFLOW_LLM_DAILY_TOKENS must not be negative");
        }
        this.callsPerMinute = callsPerMinute;
        this.dailyTokens = dailyTokens;
        this.clock = clock;
        this.calls = callsPerMinute == 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(callsPerMinute).refillGreedy(callsPerMinute, Duration.ofMinutes(1)).build())
                .build();
        this.day = today();
    }

    public static LlmBudget unlimited() {
        return new LlmBudget(0, 0, Clock.systemUTC());
    }

    /** Takes one call from the budget; empty when it may be made, else which limit stops it. */
    public synchronized Optional<String> tryCall() {
        rollOver();
        if (dailyTokens > 0 && tokensToday >= dailyTokens) {
            return Optional.of("the daily LLM token budget is spent: " + tokensToday + " of " + dailyTokens
                    + " tokens used today (UTC; FUNNELFLOW_LLM_DAILY_TOKENS)");
        }
        if (calls != null && !calls.tryConsume(1)) {
            return Optional.of("the LLM rate limit is reached: " + callsPerMinute
                    + " calls per minute (FUNNELFLOW_LLM_CALLS_PER_MINUTE)");
        }
        return Optional.empty();
    }

    /** Counts the tokens the provider reported for a call (null or negative: nothing reported). */
    public synchronized void spent(Integer tokens) {
        rollOver();
        if (tokens != null && tokens > 0) {
            tokensToday += tokens;
        }
    }

    public synchronized long tokensToday() {
        rollOver();
        return tokensToday;
    }

    private void rollOver() {
        LocalDate now = today();
        if (!now.equals(day)) {
            day = now;
            tokensToday = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
