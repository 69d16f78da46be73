package dev.milvusbeam.core.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A {@link SegmentOutput} on a local folder (java.nio), for tests and plain-Java use. */
public final class DirectorySegmentOutput implements SegmentOutput {
  private final Path root;
  private final boolean randomAccess;

  public DirectorySegmentOutput(Path root) {
    this(root, true);
  }

  /** @param randomAccess false to offer streams only, like an object store */
  public DirectorySegmentOutput(Path root, boolean randomAccess) {
    this.root = root;
    this.randomAccess = randomAccess;
  }

  @Override
  public OutputStream create(String relativePath) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(resolve(relativePath)), 1 << 16);
  }

  @Override
  public FileChannel createRandomAccess(String relativePath) throws IOException {
    if (!randomAccess) {
      return null;
    }
    return FileChannel.open(resolve(relativePath), StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private Path resolve(String relativePath) throws IOException {
    Path p = root.resolve(relativePath).normalize();
    if (!p.startsWith(root.normalize())) {
      throw new IOException("path '" + relativePath + "' escapes " + root);
    }
    Files.createDirectories(p.getParent());
    return p;
  }
}
