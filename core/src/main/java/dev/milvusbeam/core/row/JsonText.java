package dev.milvusbeam.core.row;

import java.io.Serializable;

/**
 * The value of a JSON field or of {@code $meta}: compact, valid JSON text (finite numbers, valid
 * UTF-8). {@link #isObject()} tells whether it is a JSON object, which the JSON writers put inline;
 * any other JSON value is written as a string holding the text (FORMAT.md section 4).
 */
public final class JsonText implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final JsonText EMPTY_OBJECT = new JsonText("{}", true);

  private final String text;
  private final boolean object;

  public JsonText(String text, boolean object) {
    this.text = text;
    this.object = object;
  }

  public String text() { return text; }
  public boolean isObject() { return object; }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonText && ((JsonText) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
