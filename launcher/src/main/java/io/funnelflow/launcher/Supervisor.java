package io.funnelflow.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one child process running: when it exits (an OutOfMemoryError, a crash, a kill) the exit is
 * logged with its code and the child is started again after a backoff that doubles from
 * {@code firstBackoff} up to {@code maxBackoff}, and starts over once a child has lived
 * {@code stableAfter}. A start that fails (the child exits again, or is not healthy in time) counts as
 * another exit. Only {@link #close()} ends the supervision.
 */
public final class Supervisor<T extends Supervisor.Child> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    /** A process that can be watched and stopped. */
    public interface Child {
        boolean isAlive();

        /** Blocks until the process ends; its exit code. */
        int awaitExit() throws InterruptedException;

        void stop(Duration grace);
    }

    /** Starts the child, ready to serve (e.g. healthy) when it returns. */
    @FunctionalInterface
    public interface Starter<T> {
        T start() throws Exception;
    }

    /** One restart: when the child exited, with which code, after how long, and the wait before the next start. */
    public record Restart(Instant exitedAt, int exitCode, Duration uptime, Duration backoff, int number) {
    }

    private final String name;
    private final Starter<T> starter;
    private final Backoff backoff;
    private final Duration stableAfter;
    private final Clock clock;
    private final List<Restart> restarts = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread watcher;
    private volatile T current;
    private volatile Instant startedAt;

    private Supervisor(String name, Starter<T> starter, Duration firstBackoff, Duration maxBackoff, Duration stableAfter,
                       Clock clock) {
        this.name = name;
        this.starter = starter;
        this.backoff = new Backoff(firstBackoff, maxBackoff);
        this.stableAfter = stableAfter;
        this.clock = clock;
        this.watcher = new Thread(this::watch, "supervisor-" + name);
        this.watcher.setDaemon(true);
    }

    /**
     * Starts the child once (a failure here is thrown: the stack does not come up half) and supervises it.
     */
    public static <T extends Child> Supervisor<T> start(String name, Starter<T> starter, Duration firstBackoff,
                                                       Duration maxBackoff, Duration stableAfter) throws Exception {
        Supervisor<T> supervisor = new Supervisor<>(name, starter, firstBackoff, maxBackoff, stableAfter, Clock.systemUTC());
        supervisor.current = starter.start();
        supervisor.startedAt = supervisor.clock.instant();
        supervisor.watcher.start();
        return supervisor;
    }

    /** The child running now (or the last one, while it is being restarted). */
    public T current() {
        return current;
    }

    public String name() {
        return name;
    }

    /** Every restart so far, oldest first. */
    public List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    private void watch() {
        try {
            while (closing.getCount() > 0) {
                int code = current.awaitExit();
                if (closing.getCount() == 0) {
                    return;
                }
                Instant exited = clock.instant();
                Duration uptime = Duration.between(startedAt, exited);
                if (uptime.compareTo(stableAfter) >= 0) {
                    backoff.reset();
                }
                restartAfterExit(code, exited, uptime);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the child again after its exit, retrying failed starts, until one comes up or supervision ends. */
    private void restartAfterExit(int code, Instant exited, Duration uptime) throws InterruptedException {
        int exitCode = code;
        Instant exitedAt = exited;
        Duration lived = uptime;
        while (true) {
            Duration wait = backoff.next();
            Restart restart = new Restart(exitedAt, exitCode, lived, wait, restarts.size() + 1);
            restarts.add(restart);
            LOG.warn("{} exited with code {}{} after {} s; restarting it in {} ms (restart {})", name, exitCode,
                    describe(exitCode), lived.toSeconds(), wait.toMillis(), restart.number());
            if (closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            T started;
            try {
                started = starter.start();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.error("{} did not come back: {}", name, e.getMessage());
                exitCode = -1;
                exitedAt = clock.instant();
                lived = Duration.ZERO;
                continue;
            }
            current = started;
            startedAt = clock.instant();
            if (closing.getCount() == 0) {
                started.stop(Duration.ofSeconds(20));
                return;
            }
            LOG.info("{} is running again (restart {})", name, restart.number());
            return;
        }
    }

    private static String describe(int code) {
        // the JVM's own code for -XX:+ExitOnOutOfMemoryError
        return code == 3 ? " (out of memory)" : code > 128 ? " (signal " + (code - 128) + ")" : "";
    }

    @Override
    public void close() {
        closing.countDown();
        watcher.interrupt();
        T child = current;
        if (child != null) {
            child.stop(Duration.ofSeconds(20));
        }
    }

    /** Exponential backoff, capped. */
    static final class Backoff {
        private final Duration first;
        private final Duration max;
        private Duration next;

        Backoff(Duration first, Duration max) {
            this.first = first;
            this.max = max;
            this.next = first;
        }

        synchronized Duration next() {
            Duration now = next;
            next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
            return now;
        }

        synchronized void reset() {
            next = first;
        }
    }
}
