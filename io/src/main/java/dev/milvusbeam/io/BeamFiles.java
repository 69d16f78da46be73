package dev.milvusbeam.io;

import dev.milvusbeam.core.format.SegmentOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The few file operations the writers need, on any Beam file system: create, move into place
 * (idempotently, never losing a file), delete a folder tree.
 */
final class BeamFiles {
  private BeamFiles() {}

  static ResourceId file(String path) {
    return FileSystems.matchNewResource(path, false);
  }

  static boolean isLocal(String path) {
    return "file".equals(FileSystems.matchNewResource(path, true).getScheme());
  }

  static OutputStream create(String path) throws IOException {
    FileChannel local = createRandomAccess(path);
    if (local != null) { // straight to the file, not through Beam's 8 KiB channel adapter
      return new BufferedOutputStream(Channels.newOutputStream(local), 1 << 16);
    }
    return new BufferedOutputStream(
        Channels.newOutputStream(FileSystems.create(file(path), MimeTypes.BINARY)), 1 << 16);
  }

  /**
   * Writes a small file whole, replacing what is there (deleted first: some stores, Azure among
   * them, refuse to overwrite on create).
   */
  static void replace(String path, byte[] content) throws IOException {
    FileSystems.delete(List.of(file(path)), StandardMoveOptions.IGNORE_MISSING_FILES);
    try (OutputStream o = create(path)) {
      o.write(content);
    }
  }

  /**
   * Writes a small file whole under a temporary name and renames it into place, so a reader sees
   * all of it or nothing; for a file written once (a commit plan).
   */
  static void writeAtomically(String path, byte[] content) throws IOException {
    String tmp = path + ".tmp-" + java.util.UUID.randomUUID();
    try (OutputStream o = create(tmp)) {
      o.write(content);
    }
    FileSystems.rename(List.of(file(tmp)), List.of(file(path)));
  }

  /** Whether the file {@code path} is there. */
  static boolean exists(String path) throws IOException {
    return FileSystems.match(List.of(path)).get(0).status() == MatchResult.Status.OK;
  }

  /** The whole content of a small file, or null when there is none. */
  static byte[] readIfExists(String path) throws IOException {
    if (!exists(path)) {
      return null;
    }
    try (java.io.InputStream in = Channels.newInputStream(FileSystems.open(file(path)))) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Creates (or replaces) a file on the local file system as a random-access channel, parents
   * included; null when {@code path} is on another file system (object storage only streams).
   */
  static FileChannel createRandomAccess(String path) throws IOException {
    ResourceId id = file(path);
    if (!"file".equals(id.getScheme())) {
      return null;
    }
    Path p = Paths.get(id.toString());
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, // read back once for its checksum (page cache)
        StandardOpenOption.WRITE);
  }

  /** A segment output on {@code dir}; {@code created} (if not null) hears of every file. */
  static SegmentOutput segmentOutput(String dir, java.util.function.Consumer<String> created) {
    return new SegmentOutput() {
      @Override
      public OutputStream create(String relativePath) throws IOException {
        String path = dir + "/" + relativePath;
        created.accept(path);
        return BeamFiles.create(path);
      }

      @Override
      public FileChannel createRandomAccess(String relativePath) throws IOException {
        String path = dir + "/" + relativePath;
        created.accept(path);
        return BeamFiles.createRandomAccess(path);
      }
    };
  }

  /**
   * Moves {@code src[i]} to {@code dst[i]}. A source that is gone is fine when its destination
   * exists (a repeated move after a retry); when both are gone the rows are lost: that fails.
   */
  static void moveAll(List<String> src, List<String> dst) throws IOException {
    if (src.isEmpty()) {
      return;
    }
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    List<MatchResult> found = FileSystems.match(src);
    for (int i = 0; i < src.size(); i++) {
      if (found.get(i).status() == MatchResult.Status.NOT_FOUND) {
        if (FileSystems.match(List.of(dst.get(i))).get(0).status() != MatchResult.Status.OK) {
          throw new IOException("file " + src.get(i) + " is missing (was a temporary folder"
              + " cleaned up while the job ran?); its rows are not in " + dst.get(i));
        }
        continue;
      }
      from.add(file(src.get(i)));
      to.add(file(dst.get(i)));
    }
    if (from.isEmpty()) {
      return;
    }
    if ("file".equals(to.get(0).getScheme())) {
      for (ResourceId d : to) { // the local file system does not create parents on rename
        Files.createDirectories(Paths.get(d.getCurrentDirectory().toString()));
      }
    }
    FileSystems.rename(from, to, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /**
   * Deletes every file under {@code dir} that is not in {@code keep} (and, locally, folders left
   * empty): what an earlier, complete execution of the same write left behind.
   */
  static void deleteAllExcept(String dir, java.util.Set<String> keep) throws IOException {
    MatchResult m = FileSystems.match(dir + "/**");
    if (m.status() != MatchResult.Status.OK) {
      return;
    }
    List<ResourceId> stale = new ArrayList<>();
    for (MatchResult.Metadata md : m.metadata()) {
      ResourceId id = md.resourceId();
      if (!id.isDirectory() && !keep.contains(id.toString())) {
        stale.add(id);
      }
    }
    if (stale.isEmpty()) {
      return;
    }
    FileSystems.delete(stale, StandardMoveOptions.IGNORE_MISSING_FILES);
    if (isLocal(dir + "/")) {
      for (ResourceId id : stale) {
        try {
          Files.deleteIfExists(Paths.get(id.getCurrentDirectory().toString()));
        } catch (IOException notEmpty) {
          // still holds kept files
        }
      }
    }
  }

  /**
   * Writes and deletes a small probe object in {@code folder}: a missing bucket or refused
   * credentials fail here, before any data is written, with the bucket named.
   */
  static void probeWritable(String folder) {
    String probe = folder + "/.milvus-bulkwriter-probe-" + java.util.UUID.randomUUID();
    try {
      try (OutputStream o = create(probe)) {
        o.write('1');
      }
      FileSystems.delete(List.of(file(probe)), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      Throwable c = e;
      while (c.getCause() != null && c.getCause() != c) {
        c = c.getCause();
      }
      throw new IllegalArgumentException("cannot write to " + folder + " (bucket or container '"
          + bucketOf(folder) + "'): " + c.getMessage(), e);
    }
  }

  /** The bucket of {@code s3://bucket/…} / {@code gs://bucket/…}; the container of azfs paths. */
  static String bucketOf(String path) {
    String[] parts = path.replaceFirst("^[a-zA-Z0-9]+://", "").split("/");
    boolean azure = path.regionMatches(true, 0, "azfs://", 0, 7);
    return azure && parts.length > 1 ? parts[1] : parts[0];
  }

  /** Deletes a local folder if it is empty (object stores have no folders); never throws. */
  static void deleteIfEmpty(String dir) {
    try {
      String d = dir.endsWith("/") ? dir : dir + "/";
      if (isLocal(d)) {
        Files.deleteIfExists(Paths.get(FileSystems.matchNewResource(d, true).toString()));
      }
    } catch (IOException | RuntimeException notEmpty) {
      // still in use
    }
  }

  /** Deletes one file if it is there. */
  static void deleteFile(String path) throws IOException {
    FileSystems.delete(List.of(file(path)), StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Deletes a folder and everything below it; never throws (it only cleans up). */
  static void deleteTree(String dir) {
    String d = dir.endsWith("/") ? dir : dir + "/";
    try {
      if (isLocal(d)) {
        Path root = Paths.get(FileSystems.matchNewResource(d, true).toString());
        if (!Files.exists(root)) {
          return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> {
            try {
              Files.deleteIfExists(p);
            } catch (IOException ignored) {
              // best effort
            }
          });
        }
        return;
      }
      MatchResult m = FileSystems.match(d + "**");
      if (m.status() != MatchResult.Status.OK) {
        return;
      }
      List<ResourceId> ids = new ArrayList<>();
      for (MatchResult.Metadata md : m.metadata()) {
        ids.add(md.resourceId());
      }
      FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException ignored) {
      // best effort: temporary files live outside the data folder
    }
  }
}
