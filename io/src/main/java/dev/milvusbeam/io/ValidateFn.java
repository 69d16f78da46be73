package dev.milvusbeam.io;

import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.row.Violation;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/** Validates each element: valid rows to the main output, rejected ones to the failures tag. */
class ValidateFn<T> extends DoFn<T, ValidRow> {
  private static final long serialVersionUID = 1L;
  static final String NAMESPACE = "milvus";

  private final RowValidator validator;
  private final RowParser<T> parser;
  private final TupleTag<FailedRow> failures;
  private final Counter rejected = Metrics.counter(NAMESPACE, "rowsRejected");
  private final Counter accepted = Metrics.counter(NAMESPACE, "rowsValid");
  private transient Map<Rule, Counter> byRule;

  ValidateFn(RowValidator validator, RowParser<T> parser, TupleTag<FailedRow> failures) {
    this.validator = validator;
    this.parser = parser;
    this.failures = failures;
  }

  @ProcessElement
  public void process(@Element T element, MultiOutputReceiver out) {
    final ValidationResult r;
    try {
      r = parser.parse(validator, element);
    } catch (RuntimeException e) { // a user conversion function failed: the row is rejected
      reject(element, List.of(new Violation(null, Rule.INPUT_CONVERSION,
          "the input could not be turned into a row: " + e, null, null)), out);
      return;
    }
    if (r.isValid()) {
      accepted.inc();
      out.get(MilvusIO.VALID).output(r.row());
    } else {
      reject(element, r.violations(), out);
    }
  }

  private void reject(T element, List<Violation> violations, MultiOutputReceiver out) {
    rejected.inc();
    if (byRule == null) {
      byRule = new EnumMap<>(Rule.class);
    }
    for (Violation v : violations) {
      byRule.computeIfAbsent(v.rule(),
          rule -> Metrics.counter(NAMESPACE, "rowsRejected_" + rule.code())).inc();
    }
    String text;
    try {
      text = parser.describe(element);
    } catch (RuntimeException e) {
      text = String.valueOf(element);
    }
    out.get(failures).output(new FailedRow(text, parser.source(element), parser.line(element),
        violations));
  }
}
