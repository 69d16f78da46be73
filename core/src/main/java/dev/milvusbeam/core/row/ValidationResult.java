package dev.milvusbeam.core.row;

import java.util.List;

/** Either a {@link ValidRow} or the {@link Violation}s that rejected the row; never both. */
public final class ValidationResult {
  private final ValidRow row;
  private final List<Violation> violations;

  private ValidationResult(ValidRow row, List<Violation> violations) {
    this.row = row;
    this.violations = violations;
  }

  static ValidationResult valid(ValidRow row) {
    return new ValidationResult(row, List.of());
  }

  /**
   * A rejection decided before the row could be checked (by a parser that knows its input is
   * unusable); {@code violations} must not be empty.
   */
  public static ValidationResult rejected(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a rejected row needs a violation");
    }
    return new ValidationResult(null, List.copyOf(violations));
  }

  public boolean isValid() { return row != null; }
  /** The normalized row; null when the row was rejected. */
  public ValidRow row() { return row; }
  /** Why the row was rejected; empty when it is valid. */
  public List<Violation> violations() { return violations; }

  /** The row, or a {@link RowRejectedException} carrying the violations. */
  public ValidRow orThrow() {
    if (row == null) {
      throw new RowRejectedException(violations);
    }
    return row;
  }
}
