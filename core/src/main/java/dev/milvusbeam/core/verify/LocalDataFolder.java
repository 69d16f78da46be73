package dev.milvusbeam.core.verify;

import dev.milvusbeam.core.format.DataFolder;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A data folder on the local file system. */
public final class LocalDataFolder implements DataFolder {
  private final Path root;

  public LocalDataFolder(Path root) {
    this.root = root;
  }

  @Override
  public List<DataFile> files() throws IOException {
    List<DataFile> files = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.add(new DataFile(root.relativize(p).toString().replace('\\', '/'), Files.size(p)));
        }
      }
    }
    return files;
  }

  @Override
  public SeekableByteChannel open(String path) throws IOException {
    return Files.newByteChannel(root.resolve(path), StandardOpenOption.READ);
  }

  @Override
  public String location() {
    return root.toString();
  }
}
