package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.FileDigest;
import dev.milvusbeam.core.writer.Manifest;
import dev.milvusbeam.core.writer.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;

/**
 * The one place where written segments become visible: their staged files are moved into the
 * data folder under their final numbers, and the manifest is written beside it. The plain-Java
 * bulk writers commit each segment as it closes ({@link #commit}); the Beam finalize step commits
 * every segment of a window at once, numbered 1..K in a stable order ({@link
 * #commitExactly}).
 * Moves are idempotent (a repeated commit after a retry moves nothing twice). The rejected rows
 * of a Beam write that keeps a failures file are committed here too ({@link #commitRejected}),
 * before the manifest that says the write is done.
 */
final class SegmentCommitter {
  private final String dataPath;
  private final CollectionSchema schema;
  private final FileType fileType;

  SegmentCommitter(String dataPath, CollectionSchema schema, FileType fileType) {
    this.dataPath = dataPath;
    this.schema = schema;
    this.fileType = fileType;
  }

  String dataPath() {
    return dataPath;
  }

  /**
   * Moves the files of one staged segment ({@code names} relative to {@code fromFolder}, in the
   * file type's order) into the data folder as segment {@code number}.
   */
  void commit(String fromFolder, List<String> names, int number) throws IOException {
    List<String> src = new ArrayList<>();
    List<String> dst = new ArrayList<>();
    List<String> target = names(number, names.size(), fromFolder);
    for (int f = 0; f < names.size(); f++) {
      src.add(fromFolder + "/" + names.get(f));
      dst.add(dataPath + "/" + target.get(f));
    }
    BeamFiles.moveAll(src, dst);
  }

  /**
   * Numbers {@code staged} 1..K in their sorted order, moves them into the data folder in one
   * batch and deletes anything else in it: what an earlier complete execution of the same write
   * left there (it may have split the rows differently).
   *
   * @return the segments as they now are in the data folder
   */
  List<Segment> commitExactly(List<Segment> staged) throws IOException {
    List<Segment> sorted = new ArrayList<>(staged);
    sorted.sort(null);
    List<String> src = new ArrayList<>();
    List<String> dst = new ArrayList<>();
    List<Segment> committed = new ArrayList<>();
    Set<String> keep = new HashSet<>();
    for (int i = 0; i < sorted.size(); i++) {
      Segment s = sorted.get(i);
      List<String> target = names(i + 1, s.files().size(), s.folder());
      List<FileDigest> files = new ArrayList<>();
      for (int f = 0; f < target.size(); f++) {
        FileDigest d = s.files().get(f);
        src.add(s.folder() + "/" + d.path());
        dst.add(dataPath + "/" + target.get(f));
        keep.add(BeamFiles.file(dataPath + "/" + target.get(f)).toString());
        files.add(d.withPath(target.get(f)));
      }
      committed.add(new Segment(dataPath, i + 1, files, s.rows()));
    }
    BeamFiles.moveAll(src, dst);
    BeamFiles.deleteAllExcept(dataPath, keep);
    return committed;
  }

  /** Segment {@code number}'s file names in the data folder; checks the staged count matches. */
  private List<String> names(int number, int stagedFiles, String from) {
    List<String> names = fileType.segmentFiles(schema, number);
    if (names.size() != stagedFiles) {
      throw new IllegalStateException("a segment staged in " + from + " has " + stagedFiles
          + " files where " + names + " were expected");
    }
    return names;
  }

  /**
   * Commits the segments of one Beam write exactly once, even when the finalize is executed again
   * with another input (a runner that re-runs a failed region re-writes the steps before it, whose
   * segments then live in new attempt folders): the first execution writes its sorted list as a
   * plan ({@code planPath}) before it moves anything, every later one carries out that same plan,
   * and once the manifest names {@code writeId} the folder is done and nothing is moved again.
   *
   * @param manifest makes the manifest of the committed segments
   * @param beforeManifest what else the manifest vouches for once it is written (the failures
   *     file); runs after the segments are in place, again on every execution until the manifest
   *     is written
   * @return the segments in the data folder
   */
  List<Segment> commitOnce(List<Segment> staged, String writeId, String planPath,
      java.util.function.Function<List<Segment>, byte[]> manifest, Step beforeManifest)
      throws IOException {
    byte[] existing = BeamFiles.readIfExists(dataPath + Manifest.SUFFIX);
    if (existing != null) {
      List<Segment> done = Manifest.segmentsWrittenBy(existing, writeId, dataPath);
      if (done != null) {
        return done;
      }
    }
    List<Segment> plan = readPlan(planPath);
    if (plan == null) {
      plan = new ArrayList<>(staged);
      plan.sort(null);
      BeamFiles.writeAtomically(planPath, serialize(plan));
    }
    List<Segment> committed = commitExactly(plan);
    beforeManifest.run();
    writeManifest(manifest.apply(committed));
    BeamFiles.deleteFile(planPath); // the manifest now says the folder is done
    return committed;
  }

  /** A step of a commit that may fail with an I/O error. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  /**
   * Makes {@code target} the concatenation of the staged failures files (each a bundle attempt's
   * rejected rows, JSON Lines), in their sorted order, replacing what is there: written beside it
   * under a temporary name first, then renamed into place. When a staged file is gone and {@code
   * target} is there, an earlier execution of this commit finished (and its clean-up removed
   * the staged files): nothing is done. When both are gone the rows are lost: that fails.
   */
  static void commitRejected(List<String> staged, String target) throws IOException {
    List<String> sorted = new ArrayList<>(new TreeSet<>(staged));
    if (!sorted.isEmpty()) {
      List<MatchResult> found = FileSystems.match(sorted);
      for (int i = 0; i < sorted.size(); i++) {
        if (found.get(i).status() == MatchResult.Status.NOT_FOUND) {
          if (BeamFiles.exists(target)) {
            return;
          }
          throw new IOException("staged failures file " + sorted.get(i) + " is missing (was a"
              + " temporary folder cleaned up while the job ran?); its rows are not in " + target);
        }
      }
    }
    String tmp = target + ".tmp-" + UUID.randomUUID();
    try (OutputStream out = BeamFiles.create(tmp)) {
      for (String part : sorted) {
        try (InputStream in = Channels.newInputStream(FileSystems.open(BeamFiles.file(part)))) {
          in.transferTo(out);
        }
      }
    }
    // deleted first: some stores, Azure among them, refuse to overwrite on rename
    FileSystems.delete(List.of(BeamFiles.file(target)), StandardMoveOptions.IGNORE_MISSING_FILES);
    FileSystems.rename(List.of(BeamFiles.file(tmp)), List.of(BeamFiles.file(target)));
  }

  @SuppressWarnings("unchecked")
  private static List<Segment> readPlan(String path) throws IOException {
    byte[] bytes = BeamFiles.readIfExists(path);
    if (bytes == null) {
      return null;
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return (List<Segment>) in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("unreadable commit plan " + path, e);
    }
  }

  private static byte[] serialize(List<Segment> plan) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
      out.writeObject(new ArrayList<>(plan));
    }
    return b.toByteArray();
  }

  /** Writes (or replaces) {@code <dataPath>.manifest.json} beside the data folder. */
  void writeManifest(byte[] json) throws IOException {
    BeamFiles.replace(dataPath + Manifest.SUFFIX, json);
  }
}
