package io.funnelflow.prediction.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PersonaNamingTest {

    // traits: time_on_site, pages_visited, product_views, cart_adds, checkouts, cart_value, previous_purchases, previous_sessions
    static final double[] LOYAL = {0.2, 0, 0, 0.5, 0.5, 0.4, 2.5, 2.0};
    static final double[] FAST = {-0.8, -0.5, -0.6, 1.5, 1.6, 1.0, 0, 0};
    static final double[] RESEARCH = {1.6, 0.8, 1.9, 0.1, -0.2, 0.1, 0, 0.2};
    static final double[] BROWSING = {0.5, 1.8, 0.3, -0.7, -0.5, -0.6, 0, 0};
    static final double[] CASUAL = {-1.2, -1.0, -1.1, -0.7, -0.5, -0.6, -0.3, -0.3};

    @Test
    void namesFollowTheCentroidsNotTheirIndex() {
        List<double[]> centroids = new ArrayList<>(List.of(LOYAL, FAST, RESEARCH, BROWSING, CASUAL));
        assertThat(PersonaNaming.name(centroids)).containsExactly(PersonaNaming.VIP, PersonaNaming.QUICK_BUYER,
                PersonaNaming.RESEARCHER, PersonaNaming.BROWSER, PersonaNaming.CASUAL);
        Collections.reverse(centroids);
        assertThat(PersonaNaming.name(centroids)).containsExactly(PersonaNaming.CASUAL, PersonaNaming.BROWSER,
                PersonaNaming.RESEARCHER, PersonaNaming.QUICK_BUYER, PersonaNaming.VIP);
    }

    @Test
    void moreClustersThanPersonasGetSegmentNames() {
        List<String> names = PersonaNaming.name(List.of(LOYAL, FAST, RESEARCH, BROWSING, CASUAL, CASUAL.clone()));
        assertThat(names).hasSize(6).doesNotHaveDuplicates().filteredOn(n -> n.startsWith("segment ")).hasSize(1);
        assertThat(names.subList(0, 4)).containsExactly(PersonaNaming.VIP, PersonaNaming.QUICK_BUYER,
                PersonaNaming.RESEARCHER, PersonaNaming.BROWSER);
    }
}
