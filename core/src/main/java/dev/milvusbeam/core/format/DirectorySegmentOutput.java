package dev.milvusbeam.core.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link SegmentOutput} on a local folder (java.nio), for tests and plain-Java use. */
public final class DirectorySegmentOutput implements SegmentOutput {
  private final Path root;

  public DirectorySegmentOutput(Path root) {
    this.root = root;
  }

  @Override
  public OutputStream create(String relativePath) throws IOException {
    Path p = root.resolve(relativePath).normalize();
    if (!p.startsWith(root.normalize())) {
      throw new IOException("path '" + relativePath + "' escapes " + root);
    }
    Files.createDirectories(p.getParent());
    return new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
  }
}
