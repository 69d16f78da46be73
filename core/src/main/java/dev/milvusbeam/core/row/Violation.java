package dev.milvusbeam.core.row;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why a row was rejected: the field (or null for the row as a whole), the rule it broke (a stable
 * code such as {@code int-range}, see {@link Rule}), a message a person can act on, a shortened
 * excerpt of the offending value and the row's primary key when it is known.
 */
public record Violation(String field, Rule rule, String message, String value, String primaryKey)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * @param field the field, or null for the row as a whole
   * @param value shortened text of the offending value, or null when there was none (missing)
   * @param primaryKey the row's primary key as text, or null when unknown (auto id, or invalid)
   */
  public Violation {
    Objects.requireNonNull(rule, "rule");
  }

  Violation withPrimaryKey(String pk) {
    return new Violation(field, rule, message, value, pk);
  }

  /** {@code field 'f_int8' [int-range]: 128 is out of range [-128, 127] (value 128, primary key 7)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(field == null ? "row" : "field '" + field + "'");
    sb.append(" [").append(rule.code()).append("]: ").append(message);
    if (value != null || primaryKey != null) {
      sb.append(" (");
      if (value != null) {
        sb.append("value ").append(value);
      }
      if (primaryKey != null) {
        sb.append(value != null ? ", " : "").append("primary key ").append(primaryKey);
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
