package dev.milvusbeam.core.schema;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A schema function (e.g. BM25): Milvus computes its output fields, so they are never written. */
public final class FunctionSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String type;
  private final List<String> inputFieldNames;
  private final List<String> outputFieldNames;
  private final Map<String, String> params;

  public FunctionSchema(String name, String type, List<String> inputFieldNames,
      List<String> outputFieldNames, Map<String, String> params) {
    this.name = name == null ? "" : name;
    this.type = type == null ? "" : type;
    this.inputFieldNames = List.copyOf(inputFieldNames);
    this.outputFieldNames = List.copyOf(outputFieldNames);
    this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
  }

  /** A BM25 function from a VarChar input (with an analyzer) to a SparseFloatVector output. */
  public static FunctionSchema bm25(String name, String inputField, String outputField) {
    return new FunctionSchema(name, "BM25", List.of(inputField), List.of(outputField), Map.of());
  }

  public String name() { return name; }
  public String type() { return type; }
  public List<String> inputFieldNames() { return inputFieldNames; }
  public List<String> outputFieldNames() { return outputFieldNames; }
  public Map<String, String> params() { return params; }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionSchema && ((FunctionSchema) o).name.equals(name)
        && ((FunctionSchema) o).type.equals(type)
        && ((FunctionSchema) o).inputFieldNames.equals(inputFieldNames)
        && ((FunctionSchema) o).outputFieldNames.equals(outputFieldNames);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + outputFieldNames.hashCode();
  }
}
