package dev.milvusbeam.core.schema;

/** A collection schema that Milvus would refuse, or that the chosen file type cannot carry. */
public class SchemaException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SchemaException(String message) {
    super(message);
  }
}
