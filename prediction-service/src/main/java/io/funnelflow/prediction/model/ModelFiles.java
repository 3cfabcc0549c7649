package io.funnelflow.prediction.model;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.clustering.ClusterID;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Model files: Tribuo's protobuf serialization, gzipped, one directory per version. Files are written
 * under a temporary name and moved into place, so a crash never leaves half a model to load.
 */
public final class ModelFiles {

    public static final String PROPENSITY = "propensity.tribuo.gz";
    public static final String PERSONA = "persona.tribuo.gz";

    private final Path root;

    public ModelFiles(Path root) {
        this.root = root;
    }

    public Path directory(String version) {
        return root.resolve(version);
    }

    /** Writes both models; returns the SHA-256 of the two files, in order. */
    public String save(String version, Propensity propensity, Personas personas) {
        try {
            Path dir = Files.createDirectories(directory(version));
            write(propensity.model(), dir.resolve(PROPENSITY));
            write(personas.model(), dir.resolve(PERSONA));
            return sha256(List.of(dir.resolve(PROPENSITY), dir.resolve(PERSONA)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write model " + version + " to " + root, e);
        }
    }

    public static void write(Model<?> model, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            model.serializeToStream(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Model<?> read(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return Model.deserializeFromStream(in);
        }
    }

    /** Reads a version back, checking the files are the ones the registry recorded. */
    public Trained load(ModelCard card, List<String> personaNames, String expectedSha256) throws IOException {
        Path dir = directory(card.version());
        String sha = sha256(List.of(dir.resolve(PROPENSITY), dir.resolve(PERSONA)));
        if (expectedSha256 != null && !expectedSha256.equals(sha)) {
            throw new IOException("model files of " + card.version() + " in " + dir + " do not match the registry's checksum");
        }
        Model<?> propensity = read(dir.resolve(PROPENSITY));
        Model<?> persona = read(dir.resolve(PERSONA));
        return new Trained(card, new Propensity(propensity.castModel(Label.class)),
                new Personas(persona.castModel(ClusterID.class), personaNames));
    }

    static String sha256(List<Path> files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), digest)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
