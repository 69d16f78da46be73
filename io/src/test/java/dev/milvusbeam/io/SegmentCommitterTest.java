package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the committer makes the failures file from the staged files of bundle attempts. */
class SegmentCommitterTest {
  @TempDir Path dir;

  private String staged(String name, String content) throws IOException {
    Path p = dir.resolve(".temp-w/global/" + name + ".failures.jsonl");
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p.toString();
  }

  @Test
  void onlyTheStagedFilesOfSuccessfulAttemptsAreCommittedInTheirSortedOrder() throws Exception {
    String b = staged("b", "{\"row\":\"b1\"}\n");
    String a = staged("a", "{\"row\":\"a1\"}\n{\"row\":\"a2\"}\n");
    String failedAttempt = staged("c", "{\"row\":\"a1\"}\n"); // a retried bundle's first try
    Path target = dir.resolve("out/rejected.jsonl");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "{\"row\":\"of an earlier run\"}\n");

    SegmentCommitter.commitRejected(List.of(b, a), target.toString());

    assertEquals(List.of("{\"row\":\"a1\"}", "{\"row\":\"a2\"}", "{\"row\":\"b1\"}"),
        Files.readAllLines(target), "a's rows, then b's; not the failed attempt's; replaced");
    assertTrue(Files.exists(Path.of(failedAttempt)), "left for the temp folder's clean-up");
    try (var s = Files.list(target.getParent())) {
      assertEquals(1, s.count(), "no temporary file left beside the failures file");
    }
  }

  @Test
  void aRepeatedCommitAfterTheCleanUpChangesNothing() throws Exception {
    String a = staged("a", "{\"row\":\"a1\"}\n");
    Path target = dir.resolve("rejected.jsonl");
    SegmentCommitter.commitRejected(List.of(a), target.toString());
    BeamFiles.deleteTree(dir.resolve(".temp-w").toString()); // the finalize's clean-up

    SegmentCommitter.commitRejected(List.of(a), target.toString()); // the finalize, re-executed

    assertEquals(List.of("{\"row\":\"a1\"}"), Files.readAllLines(target));
  }

  @Test
  void aStagedFileGoneBeforeItWasCommittedFailsNamingIt() throws Exception {
    String a = staged("a", "{\"row\":\"a1\"}\n");
    Files.delete(Path.of(a));
    Path target = dir.resolve("rejected.jsonl");
    IOException e = assertThrows(IOException.class,
        () -> SegmentCommitter.commitRejected(List.of(a), target.toString()));
    assertTrue(e.getMessage().contains(a) && e.getMessage().contains("missing"), e.getMessage());
    assertTrue(!Files.exists(target));
  }

  @Test
  void noStagedFileMakesAnEmptyFailuresFile() throws Exception {
    Path target = dir.resolve("rejected.jsonl");
    SegmentCommitter.commitRejected(List.of(), target.toString());
    assertEquals(0, Files.size(target));
  }
}
