package dev.milvusbeam.core.row;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why a row was rejected: the field (or null for the row as a whole), the rule it broke (a stable
 * code such as {@code int-range}, see {@link Rule}), a message a person can act on, a shortened
 * excerpt of the offending value and the row's primary key when it is known.
 */
public final class Violation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final Rule rule;
  private final String message;
  private final String value;
  private final String primaryKey;

  public Violation(String field, Rule rule, String message, String value, String primaryKey) {
    this.field = field;
    this.rule = Objects.requireNonNull(rule);
    this.message = message;
    this.value = value;
    this.primaryKey = primaryKey;
  }

  public String field() { return field; }
  public Rule rule() { return rule; }
  public String message() { return message; }
  /** Shortened text of the offending value, or null when there was none (a missing value). */
  public String value() { return value; }
  /** The row's primary key as text, or null when it is unknown (auto id, or itself invalid). */
  public String primaryKey() { return primaryKey; }

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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Violation)) {
      return false;
    }
    Violation v = (Violation) o;
    return Objects.equals(field, v.field) && rule == v.rule && Objects.equals(message, v.message)
        && Objects.equals(value, v.value) && Objects.equals(primaryKey, v.primaryKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, rule, message);
  }
}
