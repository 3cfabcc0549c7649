package io.funnelflow.service.container;

import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Map;
import java.util.Set;

/**
 * Creates every topic of the registry that a cluster does not have yet, then exits: the one-shot step
 * before the services start on a fresh cluster (docker-compose.yml's {@code topics}).
 * {@code java -cp '/app/libs/*' io.funnelflow.service.container.CreateTopics <bootstrap> <partitions> <replication>}
 */
public final class CreateTopics {

    private CreateTopics() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CreateTopics <bootstrap servers> <partitions> <replication factor>");
            System.exit(2);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            Set<String> created = Topics.ensureCreated(admin, Integer.parseInt(args[1]), Short.parseShort(args[2]));
            System.out.println("topics created: " + (created.isEmpty() ? "none, all exist" : String.join(", ", created)));
        }
    }
}
