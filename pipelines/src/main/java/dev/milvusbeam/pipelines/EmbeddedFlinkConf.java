package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Flink configuration folder of Flink embedded in the command's JVM
 * ({@code --flinkMaster=[local]}), given to Beam's Flink runner as {@code --flinkConfDir} when
 * the user gives none (and no {@code FLINK_CONF_DIR}).
 *
 * <p>It holds one setting: {@code security.delegation.tokens.enabled: false}. The embedded
 * cluster otherwise asks every delegation token provider on the class path for tokens when it
 * starts; with Hadoop's client on it, that is {@code UserGroupInformation.getCurrentUser()},
 * which calls {@code Subject.getSubject}, unsupported from Java 23 on: every embedded job failed
 * on Java 25. A local job has no Kerberos tokens to obtain, on any Java.
 */
final class EmbeddedFlinkConf {
  static final String SETTINGS = "security.delegation.tokens.enabled: false\n";
  private static Path dir;

  private EmbeddedFlinkConf() {}

  /** The folder (made once per JVM, removed when it ends). */
  static synchronized String dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("bulkwriter-flink-conf");
        // Flink 1.19 reads config.yaml, else the older flink-conf.yaml
        for (String name : new String[] {"config.yaml", "flink-conf.yaml"}) {
          Path f = d.resolve(name);
          Files.writeString(f, SETTINGS);
          f.toFile().deleteOnExit();
        }
        d.toFile().deleteOnExit();
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the embedded Flink configuration", e);
      }
    }
    return dir.toString();
  }
}
