package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.writer.SegmentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A {@link SegmentStore} on any Beam file system (local, {@code s3://}, {@code gs://},
 * {@code azfs://}). Segment files are written under a staging folder beside the data folder,
 * {@code <output>/.<uuid>.staging/<segment>/}, and renamed into {@code <output>/<uuid>/} on
 * commit, so the data folder never holds a partial or temporary file.
 */
public final class FileSystemSegmentStore implements SegmentStore {
  private final String dataPath;
  private final String staging;
  private final Map<Integer, List<ResourceId>> staged = new ConcurrentHashMap<>();
  private final SegmentCommitter committer;

  /**
   * @param output the output folder as the user gave it ({@code ./tmp}, {@code s3://bucket/dir})
   * @param uuid the name of the data folder inside it
   */
  public FileSystemSegmentStore(String output, String uuid, CollectionSchema schema,
      FileType fileType) {
    String out = stripSlash(output);
    this.dataPath = out + "/" + uuid;
    this.staging = out + "/." + uuid + ".staging";
    this.committer = new SegmentCommitter(dataPath, schema, fileType);
  }

  @Override
  public String dataPath() {
    return dataPath;
  }

  @Override
  public SegmentOutput begin(int number) {
    List<ResourceId> files = new ArrayList<>();
    staged.put(number, files);
    return BeamFiles.segmentOutput(staging + "/" + number, path -> files.add(BeamFiles.file(path)));
  }

  @Override
  public void commit(int number, List<String> files) throws IOException {
    committer.commit(staging + "/" + number, files, number);
    staged.remove(number);
  }

  @Override
  public void writeManifest(byte[] json) throws IOException {
    committer.writeManifest(json);
  }

  @Override
  public void discard(int number) {
    List<ResourceId> files = staged.remove(number);
    if (files != null) {
      try {
        FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException | RuntimeException ignored) {
        // best effort: the staging folder is outside the data folder
      }
    }
  }

  @Override
  public void cleanUp() {
    for (Integer n : List.copyOf(staged.keySet())) {
      discard(n);
    }
    BeamFiles.deleteTree(staging);
  }

  private static String stripSlash(String s) {
    String t = s;
    while (t.length() > 1 && t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
