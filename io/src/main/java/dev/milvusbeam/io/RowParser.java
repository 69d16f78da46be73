package dev.milvusbeam.io;

import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidationResult;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/**
 * How an input element becomes a checked row: Beam {@link Row}s, JSON text in the Milvus
 * JSON-import shape, or anything a user function turns into a map.
 */
public interface RowParser<T> extends Serializable {
  /** Validates the element; never throws on bad data. */
  ValidationResult parse(RowValidator validator, T element);

  /** The element as text for a failure report (JSON where possible). */
  String describe(T element);

  /** Where the element came from (an input file), for failure reports; null when unknown. */
  default String source(T element) {
    return null;
  }

  /** The element's 1-based line in its source, or 0 when unknown. */
  default long line(T element) {
    return 0;
  }

  /** Beam rows whose schema matches the collection schema ({@link BeamRows#beamSchema}). */
  static RowParser<Row> beamRows() {
    return new RowParser<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public ValidationResult parse(RowValidator validator, Row row) {
        return validator.validate(BeamRows.toMap(row));
      }

      @Override
      public String describe(Row row) {
        return BeamRows.toJson(BeamRows.toMap(row));
      }
    };
  }

  /** One row object of JSON text per element, as Milvus' JSON import reads it. */
  static RowParser<String> json() {
    return new RowParser<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public ValidationResult parse(RowValidator validator, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return validator.validateJson(b, 0, b.length);
      }

      @Override
      public String describe(String text) {
        return text;
      }
    };
  }

  /** Any element, through a function to a row map (Java values as {@code appendRow} takes them). */
  static <T> RowParser<T> of(SerializableFunction<T, Map<String, Object>> toRow) {
    return new RowParser<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public ValidationResult parse(RowValidator validator, T element) {
        return validator.validate(toRow.apply(element));
      }

      @Override
      public String describe(T element) {
        try {
          return BeamRows.toJson(toRow.apply(element));
        } catch (RuntimeException e) {
          return String.valueOf(element);
        }
      }
    };
  }
}
