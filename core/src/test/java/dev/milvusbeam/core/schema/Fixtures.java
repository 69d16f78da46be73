package dev.milvusbeam.core.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Test access to the public conformance fixtures in {@code ../shared/conformance/fixtures}
 * (a sibling of the repository). Found by walking up from the working directory, so it works from
 * {@code core/} (surefire) and from the repository root alike.
 */
public final class Fixtures {
  private Fixtures() {}

  /** {@code shared/conformance/fixtures/<name>}; fails (never skips) when it cannot be found. */
  public static Path fixture(String name) {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path inside = p.resolve("shared/conformance/fixtures").resolve(name);
      if (Files.isDirectory(inside)) {
        return inside;
      }
      Path sibling = p.resolveSibling("shared").resolve("conformance/fixtures").resolve(name);
      if (p.getParent() != null && Files.isDirectory(sibling)) {
        return sibling;
      }
    }
    throw new AssertionError("shared/conformance/fixtures/" + name + " not found above " + dir);
  }
}
