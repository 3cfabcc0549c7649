package io.funnelflow.contract.session;

import java.math.BigDecimal;

/** What a {@link SessionTally} reads of one event: the aggregator's stored events and training replays alike. */
public interface TallyEvent {

    String type();

    /** Event time, epoch milliseconds. */
    long time();

    String userId();

    String anonymousId();

    String pageUrl();

    String utmSource();

    String utmMedium();

    String utmCampaign();

    String device();

    String platform();

    BigDecimal price();

    Integer quantity();

    BigDecimal revenue();

    /** What an add to cart or a remove from cart moves: price times quantity (one when absent). */
    default BigDecimal lineValue() {
        BigDecimal price = price() == null ? BigDecimal.ZERO : price();
        return price.multiply(BigDecimal.valueOf(quantity() == null ? 1 : quantity()));
    }
}
