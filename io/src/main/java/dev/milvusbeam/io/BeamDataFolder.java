package dev.milvusbeam.io;

import dev.milvusbeam.core.format.DataFolder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A data folder on any Beam file system (local, {@code s3://}, {@code gs://}, {@code azfs://}),
 * for {@link dev.milvusbeam.core.verify.FolderVerifier}: the bucket file systems must be
 * configured first ({@code FileSystems.setDefaultPipelineOptions}).
 */
public final class BeamDataFolder implements DataFolder {
  private final String dataPath;
  private final boolean local;

  /** @param dataPath the {@code <output>/<uuid>} folder */
  public BeamDataFolder(String dataPath) {
    String p = dataPath;
    while (p.length() > 1 && p.endsWith("/") && !p.endsWith("://")) {
      p = p.substring(0, p.length() - 1);
    }
    this.dataPath = p;
    this.local = BeamFiles.isLocal(p + "/");
  }

  @Override
  public List<DataFile> files() throws IOException {
    List<DataFile> files = new ArrayList<>();
    MatchResult m;
    try {
      m = FileSystems.match(dataPath + "/**");
    } catch (FileNotFoundException e) {
      return files;
    }
    if (m.status() != MatchResult.Status.OK) {
      return files;
    }
    Path root = local ? localPath(dataPath) : null;
    String prefix = FileSystems.matchNewResource(dataPath, true).toString();
    for (MatchResult.Metadata md : m.metadata()) {
      ResourceId id = md.resourceId();
      if (id.isDirectory()) {
        continue;
      }
      String full = id.toString();
      String relative;
      if (local) {
        relative = root.relativize(localPath(full)).toString().replace('\\', '/');
      } else if (full.startsWith(prefix)) {
        relative = full.substring(prefix.length());
      } else {
        continue; // not below the data path
      }
      if (!relative.isEmpty() && !relative.startsWith("..")) {
        files.add(new DataFile(relative, md.sizeBytes()));
      }
    }
    return files;
  }

  @Override
  public SeekableByteChannel open(String path) throws IOException {
    ReadableByteChannel ch = FileSystems.open(FileSystems.matchNewResource(dataPath + "/" + path,
        false));
    if (!(ch instanceof SeekableByteChannel)) {
      ch.close();
      throw new IOException(dataPath + "/" + path + ": the file system gives no seekable channel");
    }
    return (SeekableByteChannel) ch;
  }

  @Override
  public String location() {
    return dataPath;
  }

  private static Path localPath(String p) {
    String s = p.startsWith("file://") ? p.substring("file://".length()) : p;
    return Paths.get(s).toAbsolutePath().normalize();
  }
}
