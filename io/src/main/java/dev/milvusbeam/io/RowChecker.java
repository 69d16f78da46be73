package dev.milvusbeam.io;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Where every MilvusIO transform parses and validates its elements: {@link WriteBundlesFn} and
 * {@link ChunkRowsFn} inside the step that then writes the rows (no step, coder or shuffle between
 * validation and the writer), {@link ValidateRowsFn} for {@link MilvusIO.Validate}. Valid rows
 * are returned, rejected ones reported as a {@link FailedRow} with every violation, and counted
 * (metrics {@code milvus:rowsValid}, {@code milvus:rowsRejected} and one {@code
 * milvus:rowsRejected_<rule>} per rule).
 */
final class RowChecker<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String NAMESPACE = "milvus";

  private final RowValidator validator;
  private final RowParser<T> parser;
  private final Counter rejected = Metrics.counter(NAMESPACE, "rowsRejected");
  private final Counter accepted = Metrics.counter(NAMESPACE, "rowsValid");
  private transient Map<Rule, Counter> byRule;

  private RowChecker(RowValidator validator, RowParser<T> parser) {
    this.validator = validator;
    this.parser = parser;
  }

  /**
   * The checker of rows bound for {@code fileType} files: the collection schema's rules plus the
   * file type's own rule on values (CSV: no value may read back as the null key).
   */
  static <T> RowChecker<T> of(CollectionSchema schema, FileType fileType, FormatOptions options,
      RowParser<T> parser) {
    return new RowChecker<>(new RowValidator(schema, fileType.columnCheck(options)), parser);
  }

  /** The valid row, or null after {@code failures} was given the rejected one. */
  ValidRow check(T element, Consumer<FailedRow> failures) {
    final ValidationResult r;
    try {
      r = parser.parse(validator, element);
    } catch (RuntimeException e) { // a user conversion function failed: the row is rejected
      reject(element, List.of(new Violation(null, Rule.INPUT_CONVERSION,
          "the input could not be turned into a row: " + e, null, null)), failures);
      return null;
    }
    if (r.isValid()) {
      accepted.inc();
      LiveCounters.rowValid();
      return r.row();
    }
    reject(element, r.violations(), failures);
    return null;
  }

  /**
   * The valid row, or null for a rejected one, neither counted nor reported: for a step that only
   * looks at rows ({@link DeduplicateByPrimaryKey} keys them) before the step that checks them.
   */
  ValidRow peek(T element) {
    try {
      ValidationResult r = parser.parse(validator, element);
      return r.isValid() ? r.row() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Where the element came from (an input file), or null; its 1-based line there, or 0. */
  String source(T element) {
    return parser.source(element);
  }

  long line(T element) {
    return parser.line(element);
  }

  /** Reports and counts a rejected element, as {@link #check} does. */
  void reject(T element, List<Violation> violations, Consumer<FailedRow> failures) {
    rejected.inc();
    LiveCounters.rowRejected();
    if (byRule == null) {
      byRule = new EnumMap<>(Rule.class);
    }
    for (Violation v : violations) {
      byRule.computeIfAbsent(v.rule(),
          rule -> Metrics.counter(NAMESPACE, "rowsRejected_" + rule.code())).inc();
    }
    failures.accept(new FailedRow(describe(element), parser.source(element),
        parser.line(element), violations));
  }

  /** The element as text for a failure report. */
  String describe(T element) {
    try {
      return parser.describe(element);
    } catch (RuntimeException e) {
      return String.valueOf(element);
    }
  }
}
