package io.funnelflow.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code funnelflow bench …}: benchmarks that print their figures beside a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints its figures beside a baseline taken in the same run.",
        subcommands = {IngestBenchmark.class, FreshnessBenchmark.class, SimulatorBenchmark.class, PredictionBenchmark.class,
                AggregatorBenchmark.class, QueryBenchmark.class})
public final class BenchCommand implements Runnable {

    public static void main(String[] args) {
        // the services' own logback.xml is on this classpath too; the bench's quiet one wins
        System.setProperty("logback.configurationFile", "bench-logback.xml");
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
