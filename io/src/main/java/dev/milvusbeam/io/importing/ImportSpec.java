package dev.milvusbeam.io.importing;

import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to import into: the collection, an optional partition, and the Import API's {@code options}
 * (all values strings: {@code timeout}, {@code auto_commit} for a two-phase import, and for CSV
 * files {@code sep} / {@code nullkey}, which must match how the files were written). Immutable; validated in each {@code withX}.
 */
public final class ImportSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String AUTO_COMMIT = "auto_commit";
  private static final Pattern TIMEOUT = Pattern.compile("(\\d+(\\.\\d+)?[hms])+");

  private final String collectionName;
  private final String partitionName;
  private final LinkedHashMap<String, String> options;

  private ImportSpec(String collectionName, String partitionName, Map<String, String> options) {
    this.collectionName = collectionName;
    this.partitionName = partitionName;
    this.options = new LinkedHashMap<>(options);
  }

  /** Imports into this collection (required). */
  public static ImportSpec into(String collectionName) {
    if (collectionName == null || collectionName.isBlank()) {
      throw new IllegalArgumentException("the collection name must be set");
    }
    return new ImportSpec(collectionName, null, Map.of());
  }

  /**
   * Into one partition. Not allowed when the collection has a partition key (Milvus routes the
   * rows itself): {@link #checkAgainst(CollectionSchema)} refuses it.
   */
  public ImportSpec withPartition(String partitionName) {
    return new ImportSpec(collectionName,
        partitionName == null || partitionName.isEmpty() ? null : partitionName, options);
  }

  /** The server-side job timeout, e.g. {@code 300s}, {@code 1.5h}, {@code 1h45m}. */
  public ImportSpec withTimeout(String timeout) {
    if (timeout == null || !TIMEOUT.matcher(timeout).matches()) {
      throw new IllegalArgumentException("import timeout '" + timeout
          + "': want a number with s, m or h, e.g. 300s or 1h30m");
    }
    return withOption("timeout", timeout);
  }

  /** CSV files: the separator and null key they were written with ({@code sep}, {@code nullkey}). */
  public ImportSpec withCsv(char separator, String nullKey) {
    return withOption("sep", String.valueOf(separator))
        .withOption("nullkey", Objects.requireNonNull(nullKey, "nullKey"));
  }

  /**
   * Two-phase import (Milvus 3.0 or later): the jobs are created with the option {@code
   * auto_commit} "false" (a string, as all option values), stop at {@code Uncommitted}, and are
   * committed only when every job of the run got there; if one fails, the others are aborted.
   * Milvus 2.6 ignores the option: its jobs become visible as each completes.
   */
  public ImportSpec withTwoPhaseCommit() {
    return withOption(AUTO_COMMIT, "false");
  }

  /** True when the jobs are created with {@code auto_commit} "false" and must be committed. */
  public boolean isTwoPhaseCommit() {
    return "false".equalsIgnoreCase(options.get(AUTO_COMMIT));
  }

  /** Any other Import API option; values are strings, as the API wants them. */
  public ImportSpec withOption(String key, String value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("an import option needs a name");
    }
    if (AUTO_COMMIT.equals(key) && value != null && !value.equalsIgnoreCase("true")
        && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("import option auto_commit '" + value + "': must be"
          + " \"true\" or \"false\"");
    }
    LinkedHashMap<String, String> o = new LinkedHashMap<>(options);
    o.put(key, Objects.requireNonNull(value, "value of import option " + key));
    return new ImportSpec(collectionName, partitionName, o);
  }

  /** Refuses a partition name when the collection has a partition key. */
  public ImportSpec checkAgainst(CollectionSchema schema) {
    if (partitionName == null || schema == null) {
      return this;
    }
    for (FieldSchema f : schema.fields()) {
      if (f.isPartitionKey()) {
        throw new IllegalArgumentException("collection " + collectionName + " has the partition"
            + " key '" + f.name() + "': Milvus places the rows by it; import without a partition"
            + " name (got '" + partitionName + "')");
      }
    }
    return this;
  }

  public String collectionName() { return collectionName; }
  public String partitionName() { return partitionName; }
  public Map<String, String> options() { return Collections.unmodifiableMap(options); }

  @Override
  public String toString() {
    return "collection " + collectionName + (partitionName == null ? "" : " partition "
        + partitionName) + (options.isEmpty() ? "" : " options " + options);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImportSpec && ((ImportSpec) o).collectionName.equals(collectionName)
        && Objects.equals(((ImportSpec) o).partitionName, partitionName)
        && ((ImportSpec) o).options.equals(options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(collectionName, partitionName, options);
  }
}
