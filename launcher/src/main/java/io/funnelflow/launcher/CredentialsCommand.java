package io.funnelflow.launcher;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code funnelflow tokens …} and {@code funnelflow keys …}: API tokens and write keys of the running
 * local stack, stored hashed on its {@code funnelflow.credentials} topic. A new secret is printed once,
 * alone on standard output ({@code TOKEN=$(./funnelflow tokens create --scope read)}); nothing can show
 * it again.
 */
final class CredentialsCommand {

    static final int MAX_LABEL = 100;

    private CredentialsCommand() {
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true,
            description = "API tokens (Authorization: Bearer …) of the running local stack: create, list, revoke.",
            subcommands = {Tokens.Create.class, Tokens.ListAll.class, Tokens.Revoke.class})
    static final class Tokens implements Runnable {

        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Makes a token and prints it once. read: queries, dashboard, live feed; admin: everything.")
        static final class Create implements Callable<Integer> {
            @Mixin
            Target target;
            @Option(names = "--scope", required = true, description = "read or admin")
            String scope;
            @Option(names = "--label", description = "who or what uses it (at most " + MAX_LABEL + " characters)")
            String label;

            @Override
            public Integer call() {
                return attempt(() -> {
                    Scope s = Scope.parse(scope);
                    return create(target, Credential.Kind.API_TOKEN, s, label);
                });
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Every stored token: id, scope, label, created, revoked.")
        static final class ListAll implements Callable<Integer> {
            @Mixin
            Target target;
            @Override
            public Integer call() {
                return attempt(() -> list(target, Credential.Kind.API_TOKEN));
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token everywhere within seconds.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            Target target;
            @Parameters(paramLabel = "ID", description = "the token's id (tok_…), as tokens list shows it")
            String id;

            @Override
            public Integer call() {
                return attempt(() -> revoke(target, Credential.Kind.API_TOKEN, id));
            }
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Write keys (they may only send events) of the running local stack: create, list, revoke.",
            subcommands = {Keys.Create.class, Keys.ListAll.class, Keys.Revoke.class})
    static final class Keys implements Runnable {

        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Makes a write key and prints it once.")
        static final class Create implements Callable<Integer> {
            @Mixin
            Target target;
            @Option(names = "--label", description = "the site that uses it (at most " + MAX_LABEL + " characters)")
            String label;

            @Override
            public Integer call() {
                return attempt(() -> create(target, Credential.Kind.WRITE_KEY, null, label));
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Every stored write key: id, label, created, revoked.")
        static final class ListAll implements Callable<Integer> {
            @Mixin
            Target target;
            @Override
            public Integer call() {
                return attempt(() -> list(target, Credential.Kind.WRITE_KEY));
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a write key everywhere within seconds.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            Target target;
            @Parameters(paramLabel = "ID", description = "the key's id (key_…), as keys list shows it")
            String id;

            @Override
            public Integer call() {
                return attempt(() -> revoke(target, Credential.Kind.WRITE_KEY, id));
            }
        }
    }

    /** Which cluster: {@code --bootstrap}, else {@code FUNNELFLOW_KAFKA_BOOTSTRAP}, else the local stack's broker. */
    static final class Target {
        @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
                description = "the Kafka cluster (default: FUNNELFLOW_KAFKA_BOOTSTRAP, else the local stack's broker)")
        String bootstrap;
    }

    interface Action {
        int run() throws Exception;
    }

    /** Runs against the local stack, or says clearly that it is not running. */
    static int attempt(Action action) {
        try {
            return action.run();
        } catch (IllegalArgumentException bad) {
            System.err.println("funnelflow: " + bad.getMessage());
            return 2;
        } catch (NotRunning e) {
            System.err.println("funnelflow: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            System.err.println("funnelflow: " + e.getMessage());
            return 1;
        }
    }

    static final class NotRunning extends Exception {
        NotRunning(String message) {
            super(message);
        }
    }

    /** The running stack's credential topic: FUNNELFLOW_KAFKA_BOOTSTRAP, else the local broker's port. */
    static CredentialStore store(Target target) throws NotRunning {
        if (target != null && target.bootstrap != null && !target.bootstrap.isBlank()) {
            return new CredentialStore(target.bootstrap);
        }
        Map<String, String> env = System.getenv();
        String external = env.get("FUNNELFLOW_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            return new CredentialStore(external);
        }
        StackConfig config = StackConfig.fromEnvironment(env);
        if (!Ports.inUse(config.kafkaPort())) {
            throw new NotRunning("FunnelFlow is not running on this machine (nothing listens on " + config.kafkaBootstrap()
                    + "): start it with ./funnelflow up, or point FUNNELFLOW_KAFKA_BOOTSTRAP at the cluster");
        }
        return new CredentialStore(config.kafkaBootstrap());
    }

    static int create(Target target, Credential.Kind kind, Scope scope, String label) throws Exception {
        String l = label == null ? null : label.strip();
        if (l != null && (l.length() > MAX_LABEL || l.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("--label must be at most " + MAX_LABEL + " printable characters");
        }
        CredentialStore store = store(target);
        String secret = Secrets.newSecret(kind);
        Credential credential = Credential.issue(kind, scope, l, secret, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        store.put(credential);
        System.err.printf(Locale.ROOT, "Created %s %s%s%s. It is shown only now; the platform keeps its hash.%n",
                kind == Credential.Kind.API_TOKEN ? "token" : "write key", credential.id(),
                scope == null ? "" : " (scope " + scope.role() + ")", l == null || l.isEmpty() ? "" : " labelled \"" + l + "\"");
        System.out.println(secret);
        return 0;
    }

    static int list(Target target, Credential.Kind kind) throws Exception {
        List<Credential> all = store(target).list().stream().filter(c -> c.kind() == kind).toList();
        print(all, kind, System.out);
        return 0;
    }

    static void print(List<Credential> credentials, Credential.Kind kind, PrintStream out) {
        boolean tokens = kind == Credential.Kind.API_TOKEN;
        String format = tokens ? "%-17s %-6s %-21s %-21s %s%n" : "%-17s %-21s %-21s %s%n";
        if (tokens) {
            out.printf(Locale.ROOT, format, "ID", "SCOPE", "CREATED", "REVOKED", "LABEL");
        } else {
            out.printf(Locale.ROOT, format, "ID", "CREATED", "REVOKED", "LABEL");
        }
        for (Credential c : credentials) {
            String revoked = c.revokedAt() == null ? "-" : c.revokedAt().toString();
            String label = c.label() == null ? "" : c.label();
            if (tokens) {
                out.printf(Locale.ROOT, format, c.id(), c.scope().role(), c.createdAt(), revoked, label);
            } else {
                out.printf(Locale.ROOT, format, c.id(), c.createdAt(), revoked, label);
            }
        }
        if (credentials.isEmpty()) {
            out.println(tokens ? "(no stored tokens; those of FUNNELFLOW_API_TOKENS or .funnelflow/admin-token are not listed)"
                    : "(no stored write keys; those of FUNNELFLOW_WRITE_KEYS are not listed)");
        }
    }

    static int revoke(Target target, Credential.Kind kind, String id) throws Exception {
        CredentialStore store = store(target);
        Optional<Credential> found = store.list().stream().filter(c -> c.id().equals(id) && c.kind() == kind).findFirst();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no stored " + (kind == Credential.Kind.API_TOKEN ? "token" : "write key") + " " + id
                    + " (see ./funnelflow " + (kind == Credential.Kind.API_TOKEN ? "tokens" : "keys") + " list)");
        }
        if (found.get().revoked()) {
            System.err.println(id + " was already revoked at " + found.get().revokedAt());
            return 0;
        }
        store.put(found.get().revoke(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        System.err.println("Revoked " + id + "; every service refuses it within seconds.");
        return 0;
    }
}
