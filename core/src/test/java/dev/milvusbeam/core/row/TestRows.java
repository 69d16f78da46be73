package dev.milvusbeam.core.row;

/**
 * Test-only access to {@link ValidRow}'s constructor, for writer tests that hand normalized
 * values straight to a writer (production code gets them only from the validator or the codec).
 */
public final class TestRows {
  private TestRows() {}

  /** A row of already normalized values, one per column. */
  public static ValidRow of(Object... values) {
    return new ValidRow(values);
  }
}
