package io.funnelflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** A closed-loop HTTP load: N workers, each sending its next request as soon as the previous one is answered. */
final class HttpLoad {

    record Result(long requests, long errors, long items, double seconds, long[] latenciesNanos) {
        double itemsPerSecond() {
            return items / seconds;
        }

        double p50Millis() {
            return Stats.percentile(latenciesNanos, 50) / 1e6;
        }

        double p99Millis() {
            return Stats.percentile(latenciesNanos, 99) / 1e6;
        }
    }

    private HttpLoad() {
    }

    /**
     * @param bodies        request bodies, used round-robin
     * @param itemsPerBody  events per request
     */
    static Result run(URI uri, String authorization, List<byte[]> bodies, int itemsPerBody, int workers, Duration duration)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        AtomicLong cursor = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    byte[] body = bodies.get((int) (cursor.getAndIncrement() % bodies.size()));
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .header("Authorization", authorization)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    long t1 = System.nanoTime();
                    if (response.statusCode() / 100 != 2) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = java.util.Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = t1 - t0;
                }
                return java.util.Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        long ok = merged.length;
        return new Result(ok + errors.get(), errors.get(), ok * itemsPerBody, seconds, Stats.sorted(merged));
    }
}
