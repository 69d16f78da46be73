package dev.milvusbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.milvusbeam.core.format.FormatOptions;
import java.io.IOException;
import java.util.List;

/**
 * Everything {@code import} takes from its flags ({@link ImportOptions}), read and checked once:
 * what to import (exactly one of {@code --dataPath}, {@code --manifest}, {@code --batchFiles},
 * the last parsed here), the CSV separator and null key given, and the shared
 * {@link ImportSettings}. {@link ImportCommand} reads only this.
 *
 * @param from which of the three flags was given
 * @param location its value: the data folder, the manifest, or the JSON text
 * @param batchFiles {@code --batchFiles}' file groups; null for the other two
 * @param csv {@code --sep} and {@code --nullKey}, checked together
 * @param progress how progress is shown ({@link ProgressOptions})
 */
record ImportCommandSettings(Source from, String location, List<List<String>> batchFiles,
    FormatOptions csv, ImportSettings importing, ProgressSettings progress) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The flag that names what to import. */
  enum Source {
    DATA_PATH("dataPath"), MANIFEST("manifest"), BATCH_FILES("batchFiles");

    final String flag;

    Source(String flag) {
      this.flag = flag;
    }
  }

  /**
   * Reads the flags; then configures Beam's file systems from them (the bucket flags) for the data
   * folder or manifest the command then reads.
   */
  static ImportCommandSettings from(ImportOptions o) {
    int given = (o.getDataPath() != null ? 1 : 0) + (o.getManifest() != null ? 1 : 0)
        + (o.getBatchFiles() != null ? 1 : 0);
    if (given != 1) {
      throw new UsageException("give exactly one of --dataPath, --manifest, --batchFiles");
    }
    Source from = o.getBatchFiles() != null ? Source.BATCH_FILES
        : o.getManifest() != null ? Source.MANIFEST : Source.DATA_PATH;
    String location = from == Source.BATCH_FILES ? o.getBatchFiles()
        : from == Source.MANIFEST ? o.getManifest() : o.getDataPath();
    List<List<String>> groups = from == Source.BATCH_FILES ? batchFiles(o.getBatchFiles()) : null;
    FormatOptions csv = Flags.csv("sep", o.getSep(), "nullKey", o.getNullKey());
    Flags.fileSystemsFor(o, o.getDataPath(), o.getManifest(), o.getBatchFiles(), o.getSchema());
    // --schema / --schemaFrom, optional: a partition is refused when the collection has a key
    ImportSettings importing = ImportSettings.from(o, o.getUri(), "uri", Flags.schema(o, false));
    return new ImportCommandSettings(from, location, groups, csv, importing,
        ProgressSettings.from(o));
  }

  /**
   * The CSV options sent with CSV files: a flag given a value other than its default wins, else
   * what the manifest says the files were written with (null: it does not say).
   */
  FormatOptions csvWith(String manifest, String manifestSep, String manifestNullKey) {
    FormatOptions f = csv;
    try {
      if (csv.csvSeparator() == ',' && manifestSep != null) {
        if (manifestSep.length() != 1) {
          throw new IllegalArgumentException("CSV separator '" + manifestSep + "' is not one"
              + " character");
        }
        f = f.withCsvSeparator(manifestSep.charAt(0));
      }
      if (csv.csvNullKey().isEmpty() && manifestNullKey != null) {
        f = f.withCsvNullKey(manifestNullKey);
      }
      return f.check();
    } catch (IllegalArgumentException e) {
      throw new UsageException("the manifest " + manifest + " (with --sep='" + csv.csvSeparator()
          + "' --nullKey='" + csv.csvNullKey() + "'): " + e.getMessage());
    }
  }

  /** {@code [["a"],["b","c"]]}, or an object with {@code batchFiles} (convert's summary line). */
  private static List<List<String>> batchFiles(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw Flags.refused("batchFiles", text, "not JSON: " + firstLine(e.getMessage()));
    }
    JsonNode groups = n != null && n.isObject() ? n.get("batchFiles") : n;
    return ImportCommand.groups(groups, "--batchFiles");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
