package io.funnelflow.prediction.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.prediction.Shoppers;
import io.funnelflow.prediction.features.Features;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.clustering.ClusterID;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model file written by an earlier build, committed, is read back and scores as it did then: a
 * change in Tribuo's serialization, our feature encoding or our gzip framing breaks this test rather
 * than the models users have on disk. Regenerate deliberately with {@code -Dgolden.write=true}.
 */
class GoldenModelTest {

    static final Path DIR = Path.of("src", "test", "resources", "golden");

    static final List<Features> PROBES = List.of(
            new Features(600, 3, 5, 2, 0, 1, 120, 11, 2, 3, "desktop", "web", "google", "cpc", 14, 3),
            new Features(0, 1, 0, 0, 0, 0, 0, 1, 0, 0, "mobile", "web", "direct", "none", 9, 6),
            new Features(240, 2, 4, 1, 0, 0, 35.5, 7, 0, 1, "tablet", "web", "newsletter", "email", 20, 1),
            new Features(1800, 9, 12, 0, 0, 0, 0, 21, 0, 0, "desktop", "ios", "facebook", "social", 2, 7));

    @Test
    void theCommittedModelLoadsAndScoresAsWhenItWasWritten() throws Exception {
        if (Boolean.getBoolean("golden.write")) {
            write();
        }
        Propensity propensity = new Propensity(ModelFiles.read(DIR.resolve(ModelFiles.PROPENSITY)).castModel(Label.class));
        Model<ClusterID> clusters = ModelFiles.read(DIR.resolve(ModelFiles.PERSONA)).castModel(ClusterID.class);
        JsonNode expected = Json.mapper().readTree(DIR.resolve("expected.json").toFile());
        List<String> names = Json.mapper().convertValue(expected.get("persona_names"), Json.mapper().getTypeFactory()
                .constructCollectionType(List.class, String.class));
        Personas personas = new Personas(clusters, names);

        assertThat(propensity.model().getProvenance().getTrainerProvenance().getClassName())
                .isEqualTo("org.tribuo.common.tree.RandomForestTrainer");
        JsonNode scores = expected.get("scores");
        assertThat(scores).hasSize(PROBES.size());
        for (int i = 0; i < PROBES.size(); i++) {
            Propensity.Score s = propensity.score(PROBES.get(i));
            JsonNode e = scores.get(i);
            assertThat(s.probability()).as("probe %d", i).isEqualTo(e.get("probability").asDouble());
            assertThat(s.low()).isEqualTo(e.get("low").asDouble());
            assertThat(s.high()).isEqualTo(e.get("high").asDouble());
            assertThat(personas.persona(PROBES.get(i))).isEqualTo(e.get("persona").asText());
        }
        assertThat(propensity.score(PROBES.get(0)).probability()).isGreaterThan(propensity.score(PROBES.get(1)).probability());
    }

    static void write() throws Exception {
        Trained trained = new ModelTrainer(new TrainingSettings(10, 5, 0.7f, 2, 0.2, 10, 10, 0.5, 5, 7))
                .train(Shoppers.generate(1500, 9, ModelTrainerTest.FROM), ModelTrainerTest.NOW);
        Files.createDirectories(DIR);
        ModelFiles.write(trained.propensity().model(), DIR.resolve(ModelFiles.PROPENSITY));
        ModelFiles.write(trained.personas().model(), DIR.resolve(ModelFiles.PERSONA));
        List<Map<String, Object>> scores = new ArrayList<>();
        for (Features f : PROBES) {
            Propensity.Score s = trained.propensity().score(f);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("probability", s.probability());
            row.put("low", s.low());
            row.put("high", s.high());
            row.put("persona", trained.personas().persona(f));
            scores.add(row);
        }
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(DIR.resolve("expected.json").toFile(),
                Map.of("version", trained.card().version(), "persona_names", trained.personas().names(), "scores", scores));
    }
}
