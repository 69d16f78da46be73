package dev.milvusbeam.core.verify;

import dev.milvusbeam.core.format.DataFolder;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.format.SegmentVerifier;
import dev.milvusbeam.core.format.VerifyReport;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies a written data folder before it is imported (FORMAT.md section 1 layout, then each
 * segment by its file type's {@link SegmentVerifier}): segments numbered {@code 1..K} without
 * gaps, nothing else with a data extension in the folder, at most 16 GiB per file group, then
 * structure, columns, row counts and values of every segment.
 */
public final class FolderVerifier {
  /** Milvus' limit on one file group (a file, or a NumPy segment folder). */
  public static final long MAX_GROUP_BYTES = 16L << 30;
  /** Milvus' limit on the file groups of one import request. */
  public static final int MAX_GROUPS = 1024;
  private static final Set<String> DATA_EXTENSIONS =
      Set.of("json", "jsonl", "ndjson", "parquet", "csv", "npy");

  private FolderVerifier() {}

  /** Verifies {@code folder} as a {@code type} data folder of {@code schema}; fills {@code report}. */
  public static VerifyReport verify(CollectionSchema schema, FileType type, FormatOptions options,
      DataFolder folder, VerifyReport report) throws IOException {
    try {
      type.checkSchema(schema);
    } catch (IllegalArgumentException e) {
      report.problem("", null, "file-type", e.getMessage());
      return report;
    }
    SegmentVerifier verifier = type.verifier(schema, options);
    Map<Integer, List<DataFolder.DataFile>> segments = new TreeMap<>();
    List<DataFolder.DataFile> files = new ArrayList<>(folder.files());
    files.sort((a, b) -> a.path().compareTo(b.path()));
    for (DataFolder.DataFile f : files) {
      int n = type.segmentOf(f.path());
      if (n > 0) {
        segments.computeIfAbsent(n, k -> new ArrayList<>()).add(f);
      } else {
        stray(f.path(), type, report);
      }
    }
    if (segments.isEmpty()) {
      report.problem("", null, "layout-empty", "no " + type + " segment in " + folder.location()
          + " (expected " + type.segmentFiles(schema, 1).get(0) + ", 2… )" + parentHint(files, type));
      return report;
    }
    checkNumbering(segments.keySet(), report);
    if (segments.size() > MAX_GROUPS) {
      report.warning("", null, "layout-groups", segments.size() + " file groups: one import"
          + " request takes at most " + MAX_GROUPS + "; import them in several requests");
    }
    for (Map.Entry<Integer, List<DataFolder.DataFile>> s : segments.entrySet()) {
      long bytes = 0;
      for (DataFolder.DataFile f : s.getValue()) {
        bytes += f.size();
      }
      if (bytes > MAX_GROUP_BYTES) {
        report.problem(groupName(s.getKey(), s.getValue()), null, "group-size", "file group of "
            + bytes + " bytes is above Milvus' limit of 16 GiB per file group; write smaller"
            + " segments");
      }
      report.addSegment();
      report.addRows(verifier.verify(s.getKey(), s.getValue(), folder, report));
    }
    return report;
  }

  private static void stray(String path, FileType type, VerifyReport report) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (DATA_EXTENSIONS.contains(ext)) {
      report.problem(path, null, "layout-stray-data", "not a " + type + " segment file ("
          + type.format().layout() + "), but it has a data extension: Milvus or a whole-folder import would read it;"
          + " remove it");
    } else {
      report.warning(path, null, "layout-stray", "not an import file; Milvus ignores it when"
          + " the batch files are listed, a whole-folder import may not: remove it");
    }
  }

  private static void checkNumbering(Set<Integer> numbers, VerifyReport report) {
    int max = new TreeSet<>(numbers).last();
    List<Integer> missing = new ArrayList<>();
    long gaps = 0;
    for (int i = 1; i <= max; i++) {
      if (!numbers.contains(i)) {
        gaps++;
        if (missing.size() < 10) {
          missing.add(i);
        }
      }
    }
    if (gaps > 0) {
      report.problem("", null, "layout-gap", "segments must be numbered 1.." + numbers.size()
          + " without gaps; missing " + gaps + ": " + missing + (gaps > missing.size() ? "…" : "")
          + " (were files lost or left out?)");
    }
  }

  private static String groupName(int segment, List<DataFolder.DataFile> files) {
    return files.size() == 1 ? files.get(0).path() : segment + "/";
  }

  /** When the segments sit one folder down: the user passed the parent of the data folder. */
  private static String parentHint(List<DataFolder.DataFile> files, FileType type) {
    for (DataFolder.DataFile f : files) {
      String p = f.path();
      int slash = p.indexOf('/');
      if (slash > 0 && type.segmentOf(p.substring(slash + 1)) == 1) {
        return "; the segments seem to be in " + p.substring(0, slash) + "/: pass that folder"
            + " (the <uuid> folder) as the data path";
      }
    }
    return "";
  }
}
