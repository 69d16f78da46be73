package dev.milvusbeam.io.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which file groups earlier import jobs into a collection already hold, so that a rerun does not
 * import them twice (Milvus does not deduplicate primary keys). The collection's jobs are listed
 * ({@code /list}); every job not {@code Failed} (Pending, Importing, Uncommitted, Committing,
 * Completed) is described, and each {@code details[].fileName} names one group it holds.
 *
 * <ul>
 *   <li>A job lists its files only once the server has pre-imported them (a Pending job has no
 *       {@code details}): such a job is polled until it lists them or fails.
 *   <li>The server forgets Completed and Failed jobs after {@code dataCoord.import.taskRetention}
 *       (3 hours by default): a group imported longer ago is not seen, and imported again.
 *   <li>A server without {@code /list} makes {@link #find} return {@link #NONE} after a warning.
 * </ul>
 */
final class HeldGroups {
  static final HeldGroups NONE = new HeldGroups(Map.of());

  private final Map<String, ImportJob> byFileName;

  private HeldGroups(Map<String, ImportJob> byFileName) {
    this.byFileName = byFileName;
  }

  /** Lists and describes the collection's jobs; waits for those that list no files yet. */
  static HeldGroups find(ImportClient client, String collection, ImportTiming timing,
      ImportClient.Listener listener) {
    List<ImportJob> jobs = client.list(collection, listener);
    if (jobs == null) {
      listener.warning("this server has no " + ImportClient.LIST + " (Milvus before 2.4?): the"
          + " import cannot tell which file groups earlier jobs hold, and imports them all; a"
          + " rerun imports their rows again");
      return NONE;
    }
    Map<String, ImportJob> held = new HashMap<>();
    for (ImportJob listed : jobs) {
      if (!holds(listed)) {
        continue;
      }
      ImportClient.Described d = client.describeWithFiles(listed.jobId(), collection, listener);
      Duration wait = null;
      while (d.fileNames().isEmpty() && !d.job().isDone()) {
        if (wait == null) {
          listener.warning("earlier import job " + listed.jobId() + " is " + d.job().state()
              + " and lists no files yet: waiting for it to tell which groups it holds");
        }
        wait = timing.nextPoll(wait);
        sleep(wait);
        d = client.describeWithFiles(listed.jobId(), collection, listener);
      }
      if (!holds(d.job())) {
        continue;
      }
      for (String name : d.fileNames()) {
        held.put(normalize(name), d.job());
      }
    }
    return new HeldGroups(held);
  }

  /** Every state but Failed holds its groups (unknown and future states too: never import twice). */
  static boolean holds(ImportJob job) {
    return !job.isFailed() && !"None".equalsIgnoreCase(job.state());
  }

  /** The earlier job that holds this group (paths as sent to the server), or null. */
  ImportJob holder(List<String> mappedGroup) {
    return byFileName.get(String.join(" ", mappedGroup));
  }

  /** A run's groups split: those to import, in order, and the earlier jobs with their counts. */
  static final class Split {
    final List<List<String>> missing = new ArrayList<>();
    /** Each earlier job holding some of the groups, with how many, in the order first met. */
    final Map<ImportJob, Integer> earlier = new LinkedHashMap<>();
  }

  /** Splits the run's groups (paths as sent to the server) into missing and held. */
  Split split(List<List<String>> mappedGroups) {
    Split s = new Split();
    for (List<String> g : mappedGroups) {
      ImportJob holder = holder(g);
      if (holder == null) {
        s.missing.add(g);
      } else {
        s.earlier.merge(holder, 1, Integer::sum);
      }
    }
    return s;
  }

  /**
   * The server prints a group as Go's {@code fmt.Sprintf("%v", paths)}: {@code [a b]}; without
   * the brackets it is the paths joined by one space, which is how {@link #holder} looks it up.
   */
  static String normalize(String fileName) {
    String n = fileName.strip();
    if (n.length() >= 2 && n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    return n;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("interrupted while waiting for an earlier import job", e);
    }
  }
}
