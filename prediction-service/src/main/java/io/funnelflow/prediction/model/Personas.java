package io.funnelflow.prediction.model;

import io.funnelflow.prediction.features.Features;
import org.tribuo.Model;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.impl.ArrayExample;

import java.util.List;

/**
 * The persona model: k-means over standardised behaviour, with each cluster named from its centroid
 * (see {@link PersonaNaming}), so that a name means the same behaviour whichever index the clustering
 * happened to give it.
 */
public final class Personas {

    private final Model<ClusterID> model;
    private final List<String> names;

    public Personas(Model<ClusterID> model, List<String> names) {
        this.model = model;
        this.names = List.copyOf(names);
    }

    public Model<ClusterID> model() {
        return model;
    }

    /** The names by cluster index. */
    public List<String> names() {
        return names;
    }

    public String persona(Features features) {
        int cluster = cluster(features);
        return cluster >= 0 && cluster < names.size() ? names.get(cluster) : "cluster " + cluster;
    }

    int cluster(Features features) {
        Features.Vector v = features.behaviour();
        return model.predict(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, v.names(), v.values()))
                .getOutput().getID();
    }
}
