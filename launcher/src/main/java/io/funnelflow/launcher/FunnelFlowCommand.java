package io.funnelflow.launcher;

import io.funnelflow.launcher.StackConfig.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code funnelflow up}: the whole platform on this machine, until Ctrl-C. */
@Command(name = "funnelflow", mixinStandardHelpOptions = true,
        description = "Runs FunnelFlow on this machine.",
        subcommands = {FunnelFlowCommand.Up.class, CredentialsCommand.Tokens.class, CredentialsCommand.Keys.class,
                ReportCommand.class})
public final class FunnelFlowCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelFlowCommand.class);

    public static void main(String[] args) {
        System.exit(new CommandLine(new FunnelFlowCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts an embedded Kafka broker, an embedded PostgreSQL and every service, and prints their URLs.",
                    "Configured by FUNNELFLOW_* environment variables (see README.md). Ctrl-C stops everything."})
    static final class Up implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            LocalStack stack = new LocalStack(StackConfig.fromEnvironment(env), env);
            AtomicBoolean closed = new AtomicBoolean();
            Runnable stop = () -> {
                if (closed.compareAndSet(false, true)) {
                    LOG.info("Stopping FunnelFlow…");
                    try {
                        stack.close();
                    } catch (Exception e) {
                        LOG.error("Stopping failed: {}", e.toString());
                    }
                }
            };
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "funnelflow-stop"));
            try {
                stack.start();
            } catch (Exception e) {
                LOG.error("FunnelFlow could not start: {}", e.getMessage());
                stop.run();
                return 1;
            }
            printBanner(stack, System.out);
            // a service (or the broker) that exits is restarted by its supervisor: only Ctrl-C ends this
            stack.awaitClosed();
            return 0;
        }
    }

    static void printBanner(LocalStack stack, PrintStream out) {
        StackConfig c = stack.config();
        Map<String, Long> memory = stack.residentMemory();
        long total = memory.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder perProcess = new StringBuilder();
        memory.forEach((name, bytes) -> perProcess.append(String.format(Locale.ROOT, "%n      %-22s %6.0f MB", name, bytes / 1e6)));
        out.printf(Locale.ROOT, """

                FunnelFlow is up.
                  Dashboard and query API  %s/
                  Ingest API               %s/api/track   /api/batch   Segment: /v1/batch
                  Prediction API           %s/api/model
                  Insights API             %s/api/insights
                  CRM API                  %s/api/leads   /api/crm/funnel   /api/crm/rules
                  Kafka                    %s
                  PostgreSQL               %s   (user postgres, no password)
                  Write key                %s
                  Admin token              %s
                  Data and logs            %s
                  Memory (RSS)             %.0f MB in all:%s

                Ctrl-C stops everything.
                """,
                c.serviceUrl(Service.AGGREGATOR), c.serviceUrl(Service.INGEST), c.serviceUrl(Service.PREDICTION),
                c.serviceUrl(Service.INSIGHTS), c.serviceUrl(Service.CRM), stack.kafkaBootstrap(), stack.jdbcUrl(), stack.writeKey(),
                stack.adminToken() + (stack.adminTokenFromEnvironment() ? "   (from FUNNELFLOW_API_TOKENS)"
                        : "   (kept in " + c.adminTokenFile() + "; sign in to the dashboard with it)"),
                c.dataDir(), total / 1e6, perProcess);
        out.flush();
    }
}
