package io.funnelflow.aggregator.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erases or exports a person from every {@link ErasureParticipant}, in their order. The person is found
 * once, before anything is erased ({@link PersonLocator}), so that every participant erases the same
 * sessions. An erasure that fails part-way stops there and says which participants are done: all of them
 * are idempotent, so it is repeated as a whole.
 */
public final class PersonalData {

    /** What an erasure did, participant by participant. */
    public record Erased(String userId, Instant erasedAt, int sessions, boolean complete, Map<String, Object> erased) {
    }

    /** Everything kept about a person, participant by participant. */
    public record Export(String userId, Instant exportedAt, List<String> sessionIds, Map<String, Object> data) {
    }

    /** A participant failed; those before it are done. */
    public static final class PartialErasure extends RuntimeException {
        private final String participant;
        private final List<String> done;

        PartialErasure(String participant, List<String> done, Exception cause) {
            super(participant + " failed: " + cause.getMessage(), cause);
            this.participant = participant;
            this.done = List.copyOf(done);
        }

        public String participant() {
            return participant;
        }

        public List<String> done() {
            return done;
        }
    }

    private final PersonLocator locator;
    private final List<ErasureParticipant> participants;
    private final Clock clock;

    public PersonalData(PersonLocator locator, List<ErasureParticipant> participants, Clock clock) {
        this.locator = locator;
        this.participants = participants.stream().sorted(Comparator.comparingInt(ErasureParticipant::order)).toList();
        this.clock = clock;
    }

    public List<String> participants() {
        return participants.stream().map(ErasureParticipant::name).toList();
    }

    public Erased erase(String userId) throws Exception {
        Person person = locator.find(userId);
        Map<String, Object> erased = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (ErasureParticipant p : participants) {
            try {
                erased.put(p.name(), p.erase(person));
            } catch (Exception e) {
                throw new PartialErasure(p.name(), done, e);
            }
            done.add(p.name());
        }
        return new Erased(userId, clock.instant(), person.sessionIds().size(), !person.truncated(), erased);
    }

    public Export export(String userId) throws Exception {
        Person person = locator.find(userId);
        Map<String, Object> data = new LinkedHashMap<>();
        for (ErasureParticipant p : participants) {
            Object part = p.export(person);
            if (part != null) {
                data.put(p.name(), part);
            }
        }
        return new Export(userId, clock.instant(), person.sessionIds(), data);
    }
}
