package dev.milvusbeam.core.row;

/** A value broke a rule; turned into a {@link Violation} by the validator. Cheap: no stack trace. */
class ValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final Rule rule;
  final transient Object value;

  ValueException(Rule rule, String message, Object value) {
    super(message, null, false, false);
    this.rule = rule;
    this.value = value;
  }
}
