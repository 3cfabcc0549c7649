package io.funnelflow.service.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BisectionTest {

    /** A keyed item: the table keeps the last value written per key, as an upsert of absolute values does. */
    record Item(int offset, String key, int value) {
    }

    /** A table that refuses (as PostgreSQL would, SQLState 22021) every transaction holding a poisoned item. */
    static final class Table implements Bisection.Write<Item> {
        final Set<Integer> poisoned;
        final Map<String, Integer> rows = new LinkedHashMap<>();
        final List<Integer> written = new ArrayList<>();
        int transactions;

        Table(Set<Integer> poisoned) {
            this.poisoned = poisoned;
        }

        @Override
        public void write(List<Item> items) throws SQLException {
            transactions++;
            if (items.stream().anyMatch(i -> poisoned.contains(i.offset()))) {
                throw new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
            }
            items.forEach(i -> {
                rows.put(i.key(), i.value());
                written.add(i.offset());
            });
        }
    }

    static List<Item> items(int n) {
        // keys repeat: offset i updates key i % 7 to the value i
        return IntStream.range(0, n).mapToObj(i -> new Item(i, "k" + (i % 7), i)).toList();
    }

    @Test
    void aBatchWithoutRefusalIsWrittenOnceWhole() throws Exception {
        Table table = new Table(Set.of());
        assertThat(Bisection.write(items(100), table)).isEmpty();
        assertThat(table.transactions).isEqualTo(1);
        assertThat(table.written).hasSize(100);
    }

    @Test
    void theRefusedItemsAreSetAsideAndEveryOtherIsWrittenOnceInOffsetOrder() throws Exception {
        Table table = new Table(Set.of(13, 14, 77));
        List<Bisection.Refused<Item>> refused = Bisection.write(items(100), table);

        assertThat(refused).extracting(r -> r.item().offset()).containsExactly(13, 14, 77);
        assertThat(refused).allSatisfy(r -> assertThat(WriteFailure.reason(r.failure())).contains("SQLState 22021"));
        List<Integer> expected = IntStream.range(0, 100).filter(i -> i != 13 && i != 14 && i != 77).boxed().toList();
        assertThat(table.written).containsExactlyElementsOf(expected);
        // every key ends with its latest value: the last offset of each key, none of which was refused
        for (int k = 0; k < 7; k++) {
            int last = k + 7 * ((99 - k) / 7);
            assertThat(table.rows.get("k" + k)).as("k" + k).isEqualTo(last);
        }
        // a few dozen transactions, not one per item
        assertThat(table.transactions).isLessThan(50);
    }

    @Test
    void aRefusedLatestValueLeavesTheKeyAtItsPreviousOne() throws Exception {
        Table table = new Table(Set.of(99));
        Bisection.write(items(100), table);
        assertThat(table.rows.get("k1")).isEqualTo(92);
    }

    @Test
    void everyItemRefusedIsEveryItemSetAside() throws Exception {
        Table table = new Table(Set.of(0, 1, 2, 3, 4));
        assertThat(Bisection.write(items(5), table)).hasSize(5);
        assertThat(table.rows).isEmpty();
    }

    @Test
    void anOutageStopsTheWriteAndSetsNothingAside() {
        Table table = new Table(Set.of(3));
        Bisection.Write<Item> outageAfterTheFirstSplit = new Bisection.Write<>() {
            int calls;

            @Override
            public void write(List<Item> items) throws Exception {
                if (++calls > 1) {
                    throw new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 30000ms.");
                }
                table.write(items);
            }
        };
        assertThatThrownBy(() -> Bisection.write(items(10), outageAfterTheFirstSplit))
                .isInstanceOf(SQLTransientConnectionException.class);
    }

    @Test
    void eachRefusedItemIsHandedOverBeforeAnyLaterItemIsWritten() throws Exception {
        Table table = new Table(Set.of(5, 6));
        List<String> log = new ArrayList<>();
        Bisection.write(items(12), items -> {
            table.write(items);
            log.add("wrote " + items.get(0).offset() + ".." + items.get(items.size() - 1).offset());
        }, WriteFailure::classify, r -> log.add("refused " + r.item().offset()));
        assertThat(log).containsExactly("wrote 0..2", "wrote 3..3", "wrote 4..4", "refused 5", "refused 6", "wrote 7..8", "wrote 9..11");
    }

    @Test
    void theWriterDecidesWhichFailuresAreRefusals() {
        // e.g. a failure of the Kafka half of a writer is an outage even without an SQLState
        assertThatThrownBy(() -> Bisection.write(items(3), items -> {
            throw new IllegalStateException("the broker is away");
        }, e -> WriteFailure.Kind.RETRY, r -> {
            throw new AssertionError("nothing may be refused");
        })).hasMessage("the broker is away");
    }

    @Test
    void aBatchRefusedOnlyAsAWholeIsWrittenInPartsWithNothingSetAside() throws Exception {
        // e.g. "ON CONFLICT DO UPDATE command cannot affect row a second time" (21000): the halves go through
        List<List<Item>> writes = new ArrayList<>();
        List<Bisection.Refused<Item>> refused = Bisection.write(items(4), items -> {
            if (items.size() == 4) {
                throw new SQLException("ERROR: ON CONFLICT DO UPDATE command cannot affect row a second time", "21000");
            }
            writes.add(List.copyOf(items));
        });
        assertThat(refused).isEmpty();
        assertThat(writes).hasSize(2);
    }
}
