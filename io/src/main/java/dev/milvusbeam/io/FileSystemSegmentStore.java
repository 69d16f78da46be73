package dev.milvusbeam.io;

import dev.milvusbeam.core.format.SegmentOutput;
import dev.milvusbeam.core.writer.SegmentStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A {@link SegmentStore} on any Beam file system (local, {@code s3://}, {@code gs://},
 * {@code azfs://}). Segment files are written under a staging folder beside the data folder,
 * {@code <output>/.<uuid>.staging/<segment>/}, and renamed into {@code <output>/<uuid>/} on
 * commit, so the data folder never holds a partial or temporary file.
 */
public final class FileSystemSegmentStore implements SegmentStore {
  private final String output;
  private final String dataPath;
  private final String staging;
  private final Map<Integer, List<ResourceId>> staged = new ConcurrentHashMap<>();

  /**
   * @param output the output folder as the user gave it ({@code ./tmp}, {@code s3://bucket/dir})
   * @param uuid the name of the data folder inside it
   */
  public FileSystemSegmentStore(String output, String uuid) {
    this.output = stripSlash(output);
    this.dataPath = this.output + "/" + uuid;
    this.staging = this.output + "/." + uuid + ".staging";
  }

  @Override
  public String dataPath() {
    return dataPath;
  }

  @Override
  public SegmentOutput begin(int number) {
    List<ResourceId> files = new ArrayList<>();
    staged.put(number, files);
    return relativePath -> {
      ResourceId id = FileSystems.matchNewResource(staging + "/" + number + "/" + relativePath, false);
      files.add(id);
      OutputStream out = Channels.newOutputStream(FileSystems.create(id, MimeTypes.BINARY));
      return new BufferedOutputStream(out, 1 << 16);
    };
  }

  @Override
  public void commit(int number, List<String> files) throws IOException {
    List<ResourceId> src = new ArrayList<>();
    List<ResourceId> dst = new ArrayList<>();
    for (String f : files) {
      src.add(FileSystems.matchNewResource(staging + "/" + number + "/" + f, false));
      dst.add(FileSystems.matchNewResource(dataPath + "/" + f, false));
    }
    if (isLocal()) {
      for (ResourceId d : dst) { // the local file system does not create parents on rename
        java.nio.file.Files.createDirectories(java.nio.file.Paths.get(d.getCurrentDirectory().toString()));
      }
    }
    requireStaged(src, dst);
    // a source already moved by an earlier, interrupted commit of the same segment is no error
    FileSystems.rename(src, dst, StandardMoveOptions.IGNORE_MISSING_FILES);
    staged.remove(number);
    deleteDirectories(number, files);
  }

  /** Every file of the segment is staged, or (a repeated commit) already in the data path. */
  private static void requireStaged(List<ResourceId> src, List<ResourceId> dst) throws IOException {
    List<String> specs = new ArrayList<>();
    for (ResourceId r : src) {
      specs.add(r.toString());
    }
    List<MatchResult> found = FileSystems.match(specs);
    for (int i = 0; i < src.size(); i++) {
      if (found.get(i).status() == MatchResult.Status.NOT_FOUND) {
        MatchResult there = FileSystems.match(List.of(dst.get(i).toString())).get(0);
        if (there.status() != MatchResult.Status.OK) {
          throw new IOException("staged segment file " + src.get(i) + " is missing (was the"
              + " staging folder cleaned up while the writer ran?); its rows are not in "
              + dst.get(i));
        }
      }
    }
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
    if (isLocal()) {
      deleteTree(java.nio.file.Paths.get(
          FileSystems.matchNewResource(staging + "/", true).toString()));
    }
  }

  /** Deletes a local folder and everything in it (the staging area only); never throws. */
  private static void deleteTree(java.nio.file.Path root) {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          java.nio.file.Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException | RuntimeException ignored) {
      // best effort: the staging folder is outside the data folder
    }
  }

  private void deleteDirectories(int number, List<String> files) {
    if (!isLocal()) {
      return; // object stores have no directories
    }
    for (String f : files) {
      int slash = f.lastIndexOf('/');
      if (slash > 0) {
        deleteQuietly(staging + "/" + number + "/" + f.substring(0, slash) + "/");
      }
    }
    deleteQuietly(staging + "/" + number + "/");
  }

  private static void deleteQuietly(String directory) {
    try {
      ResourceId id = FileSystems.matchNewResource(directory, true);
      if ("file".equals(id.getScheme())) {
        java.nio.file.Files.deleteIfExists(java.nio.file.Paths.get(id.toString()));
      }
    } catch (IOException | RuntimeException ignored) {
      // not empty or already gone: leave it
    }
  }

  private boolean isLocal() {
    return "file".equals(FileSystems.matchNewResource(output + "/", true).getScheme());
  }

  private static String stripSlash(String s) {
    String t = s;
    while (t.length() > 1 && t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
