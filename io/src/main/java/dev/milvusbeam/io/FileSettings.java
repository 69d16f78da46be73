package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * The file type and its format options, as {@link MilvusIO.Write}, {@link MilvusIO.Validate} and
 * {@link MilvusIO.Sink} hold them: an immutable value. Each {@code withX} replaces one component
 * and reads no other (the CSV separator and null key may be set on their own or inside {@link
 * FormatOptions}; set on their own they take precedence). {@link #resolve} checks the combination,
 * whatever order the settings were made in.
 */
record FileSettings(FileType fileType, FormatOptions formatOptions, Character csvSeparator,
    String csvNullKey) implements Serializable {

  static FileSettings of(FileType fileType) {
    return new FileSettings(fileType, FormatOptions.defaults(), null, null);
  }

  FileSettings withFileType(FileType v) {
    return new FileSettings(v, formatOptions, csvSeparator, csvNullKey);
  }

  FileSettings withFormatOptions(FormatOptions v) {
    return new FileSettings(fileType, v, csvSeparator, csvNullKey);
  }

  /** The separator, checked on its own (a quote or a digit fails here). */
  FileSettings withCsvSeparator(char v) {
    FormatOptions.defaults().withCsvSeparator(v);
    return new FileSettings(fileType, formatOptions, v, csvNullKey);
  }

  /** The null key, checked on its own (a line break fails here). */
  FileSettings withCsvNullKey(String v) {
    FormatOptions.defaults().withCsvNullKey(v);
    return new FileSettings(fileType, formatOptions, csvSeparator, v);
  }

  /**
   * The options files are written and checked with: {@link #formatOptions} with the separator and
   * null key set on their own applied, checked as a whole ({@link FormatOptions#check}).
   *
   * @param who the transform, for the message ({@code MilvusIO.write})
   * @throws IllegalArgumentException naming both settings of a bad combination
   */
  FormatOptions resolve(String who) {
    FormatOptions o = formatOptions;
    if (csvSeparator != null) {
      o = o.withCsvSeparator(csvSeparator);
    }
    if (csvNullKey != null) {
      o = o.withCsvNullKey(csvNullKey);
    }
    try {
      return o.check();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(who + ": " + e.getMessage(), e);
    }
  }

  void populateDisplayData(DisplayData.Builder b) {
    b.add(DisplayData.item("fileType", fileType.toString()).withLabel("File type"));
    if (fileType == FileType.CSV) {
      b.add(DisplayData.item("csvSeparator", String.valueOf(
          csvSeparator != null ? csvSeparator : formatOptions.csvSeparator())));
      b.add(DisplayData.item("csvNullKey", csvNullKey != null ? csvNullKey
          : formatOptions.csvNullKey()));
    }
  }
}
