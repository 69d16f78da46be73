package dev.milvusbeam.core.row;

import java.util.List;

/** Thrown by {@code appendRow} for a row that breaks the schema; carries every violation. */
public class RowRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<Violation> violations;

  public RowRejectedException(List<Violation> violations) {
    super(message(violations));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String message(List<Violation> violations) {
    StringBuilder sb = new StringBuilder("row rejected: ");
    for (int i = 0; i < violations.size(); i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(violations.get(i));
    }
    return sb.toString();
  }
}
