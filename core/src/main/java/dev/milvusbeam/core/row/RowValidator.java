package dev.milvusbeam.core.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.FieldSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks rows against a collection schema (FORMAT.md sections 2-3) and normalizes them for the
 * writers. Never throws on bad data: the result is a {@link ValidRow} or the list of every
 * {@link Violation} found. Thread-safe and serializable.
 *
 * <p>Rows come as {@code Map<String, ?>} (Java numbers, strings, lists, primitive arrays such as
 * {@code float[]} or {@code byte[]}, nested maps, Jackson nodes), as a Jackson object node, or as
 * JSON text in the shape Milvus' JSON import reads ({@link JsonRows}).
 */
public final class RowValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CollectionSchema schema;
  private final List<FieldSchema> columns;
  private final ColumnCheck columnCheck;

  /** Validates by the type rules alone (enough for every file type but CSV). */
  public RowValidator(CollectionSchema schema) {
    this(schema, ColumnCheck.NONE);
  }

  /**
   * @param columnCheck the output file type's own rule on values, e.g. the CSV null key
   *     ({@code FileType.columnCheck(options)})
   */
  public RowValidator(CollectionSchema schema, ColumnCheck columnCheck) {
    this.schema = schema;
    this.columns = schema.columns();
    this.columnCheck = columnCheck;
  }

  public CollectionSchema schema() {
    return schema;
  }

  /** Validates a row given as a Java map (or a Jackson {@code ObjectNode}, which is a map of nodes). */
  public ValidationResult validate(Map<String, ?> row) {
    return validate(new RowView.OfMap(row));
  }

  /** Validates a row given as a Jackson node; anything but an object is rejected. */
  public ValidationResult validate(JsonNode row) {
    if (row == null || !row.isObject()) {
      return ValidationResult.rejected(List.of(new Violation(null, Rule.NOT_AN_OBJECT,
          "a row must be a JSON object, not " + (row == null ? "nothing" : row.getNodeType()),
          row == null ? null : Excerpts.of(row), null)));
    }
    return validate(new RowView.OfNode((ObjectNode) row));
  }

  /** Validates one row of JSON text (one JSON Lines line), in the Milvus JSON-import shape. */
  public ValidationResult validateJson(String json) {
    byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return validateJson(b, 0, b.length);
  }

  /** Validates one row of UTF-8 JSON text; invalid JSON is a violation, not an exception. */
  public ValidationResult validateJson(byte[] utf8, int offset, int length) {
    Map<String, Object> row;
    try {
      row = JsonRows.parse(schema, utf8, offset, length);
    } catch (JsonRows.BadJsonException e) {
      return ValidationResult.rejected(List.of(new Violation(null, e.rule, e.getMessage(),
          Excerpts.shorten(new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8)),
          null)));
    }
    return validate(row);
  }

  /**
   * Checks one value of a column as it was read back from a written file (column by column, as
   * NumPy and Parquet store rows): the null rules, then the type rules; {@code $meta} must be a
   * JSON object (or text holding one). Returns the violation, or null when the value is fine.
   */
  public Violation checkValue(FieldSchema column, Object raw) {
    Object v = JsonValues.unwrap(raw);
    if (v == null) {
      return column.acceptsMissing() ? null : new Violation(column.name(), Rule.NULL_VALUE,
          "null for a field that is not nullable and has no default", null, null);
    }
    try {
      if (column.isDynamicMeta()) {
        JsonNode tree = v instanceof String ? JsonValues.parse((String) v, "$meta")
            : JsonValues.toTree(v, "$meta");
        if (!tree.isObject()) {
          throw new ValueException(Rule.META_NOT_OBJECT,
              "$meta must be a JSON object holding the dynamic fields", v);
        }
        return null;
      }
      Object normalized = ValueRules.convert(column, v);
      String problem = columnCheck.problem(column, normalized);
      if (problem != null) {
        throw new ValueException(columnCheck.rule(), problem, v);
      }
      return null;
    } catch (ValueException e) {
      return new Violation(column.name(), e.rule, e.getMessage(), Excerpts.of(e.value), null);
    }
  }

  private ValidationResult validate(RowView row) {
    List<Violation> violations = null;
    String pk = primaryKeyText(row);
    FieldSchema pkField = schema.primaryKey();
    if (pkField.isAutoId() && row.has(pkField.name())) {
      violations = add(violations, new Violation(pkField.name(), Rule.AUTO_ID_GIVEN,
          "the primary key is auto id: Milvus generates it, the row must not carry it",
          Excerpts.of(row.get(pkField.name())), null));
    }
    for (FieldSchema f : schema.fields()) {
      if (f.isFunctionOutput() && row.has(f.name())) {
        violations = add(violations, new Violation(f.name(), Rule.FUNCTION_OUTPUT_GIVEN,
            "this field is the output of a schema function; Milvus computes it, the row must not"
                + " carry it", Excerpts.of(row.get(f.name())), pk));
      }
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      FieldSchema f = columns.get(i);
      if (f.isDynamicMeta()) {
        continue;
      }
      Object raw = row.get(f.name());
      if (raw == null || (raw instanceof JsonNode && ((JsonNode) raw).isNull())) {
        if (f.hasDefault()) {
          values[i] = f.defaultValue();
        } else if (!f.isNullable()) {
          boolean missing = !row.has(f.name());
          violations = add(violations, new Violation(f.name(),
              missing ? Rule.MISSING_VALUE : Rule.NULL_VALUE,
              (missing ? "missing value" : "null") + " for a field that is not nullable and has no"
                  + " default", null, pk));
        }
        continue;
      }
      try {
        Object v = ValueRules.convert(f, raw);
        String problem = columnCheck.problem(f, v);
        if (problem != null) {
          throw new ValueException(columnCheck.rule(), problem, v);
        }
        values[i] = v;
      } catch (ValueException e) {
        violations = add(violations, new Violation(f.name(), e.rule, e.getMessage(),
            Excerpts.of(e.value), pk));
      }
    }
    if (!schema.structFields().isEmpty()) {
      for (String key : row.keys()) {
        if (flatStructKey(key)) {
          violations = add(violations, new Violation(key, Rule.STRUCT_FLAT_KEY, "a struct"
              + " sub-field given at the top level; give the struct array '"
              + key.substring(0, key.indexOf('[')) + "' as a list of objects instead",
              Excerpts.of(row.get(key)), pk));
        }
      }
    }
    if (schema.isDynamicFieldEnabled()) {
      try {
        values[columns.size() - 1] = dynamicFields(row);
      } catch (ValueException e) {
        violations = add(violations, new Violation(dynamicFieldName(e), e.rule, e.getMessage(),
            Excerpts.of(e.value), pk));
      }
    } else {
      for (String key : row.keys()) {
        if (schema.field(key) == null && !flatStructKey(key)) {
          violations = add(violations, new Violation(key, Rule.UNKNOWN_FIELD,
              "not a field of the schema, and the dynamic field is disabled (enable it, or drop"
                  + " the key)", Excerpts.of(row.get(key)), pk));
        }
      }
    }
    return violations == null ? ValidationResult.valid(new ValidRow(values))
        : ValidationResult.rejected(violations);
  }

  /** {@code s[sub]}: a struct sub-field's name as Milvus stores it, never a row key. */
  private boolean flatStructKey(String key) {
    int bracket = key.indexOf('[');
    if (bracket <= 0 || !key.endsWith("]")) {
      return false;
    }
    FieldSchema f = schema.field(key.substring(0, bracket));
    return f != null && f.isStruct();
  }

  /** Every key that is no schema field, merged with the contents of a {@code $meta} object. */
  private JsonText dynamicFields(RowView row) {
    ObjectNode meta = null;
    if (row.has(FieldSchema.META)) {
      Object given = row.get(FieldSchema.META);
      JsonNode tree = given == null ? null : JsonValues.toTree(given, "$meta");
      if (tree == null || !tree.isObject()) {
        throw new DynamicException(FieldSchema.META, Rule.META_NOT_OBJECT,
            "$meta must be an object holding the dynamic fields", given);
      }
      meta = (ObjectNode) tree.deepCopy();
    }
    for (String key : row.keys()) {
      if (schema.field(key) != null || key.equals(FieldSchema.META) || flatStructKey(key)) {
        continue;
      }
      if (meta == null) {
        meta = JsonValues.newObject();
      } else if (meta.has(key)) {
        throw new DynamicException(key, Rule.DYNAMIC_DUPLICATE, "dynamic key given both at the top"
            + " level and inside $meta", row.get(key));
      }
      if (!Utf8.isWellFormed(key)) {
        throw new DynamicException(key, Rule.INVALID_UTF8, "key is not valid UTF-8", key);
      }
      Object v = row.get(key);
      try {
        meta.set(key, v == null ? meta.nullNode() : JsonValues.toTree(v, "dynamic field"));
      } catch (ValueException e) {
        throw new DynamicException(key, e.rule, e.getMessage(), e.value);
      }
    }
    return meta == null || meta.isEmpty() ? JsonText.EMPTY_OBJECT
        : new JsonText(JsonValues.text(meta), true);
  }

  private static String dynamicFieldName(ValueException e) {
    return e instanceof DynamicException ? ((DynamicException) e).field : FieldSchema.META;
  }

  private String primaryKeyText(RowView row) {
    FieldSchema pk = schema.primaryKey();
    if (pk.isAutoId()) {
      return null;
    }
    Object raw = row.get(pk.name());
    if (raw == null) {
      return null;
    }
    try {
      return Excerpts.shorten(ValueRules.convert(pk, raw).toString());
    } catch (ValueException e) {
      return null; // an invalid key identifies nothing
    }
  }

  private static List<Violation> add(List<Violation> list, Violation v) {
    List<Violation> l = list == null ? new ArrayList<>(2) : list;
    l.add(v);
    return l;
  }

  /** A dynamic-field failure that names the dynamic key. */
  private static final class DynamicException extends ValueException {
    private static final long serialVersionUID = 1L;
    final String field;

    DynamicException(String field, Rule rule, String message, Object value) {
      super(rule, message, value);
      this.field = field;
    }
  }

  /** Uniform read access to a row given as a map or as a Jackson object. */
  abstract static class RowView {
    abstract boolean has(String key);

    abstract Object get(String key);

    abstract Iterable<String> keys();

    static final class OfMap extends RowView {
      private final Map<String, ?> m;

      OfMap(Map<String, ?> m) { this.m = m; }

      @Override boolean has(String key) { return m.containsKey(key); }
      @Override Object get(String key) { return m.get(key); }
      @Override Iterable<String> keys() { return m.keySet(); }
    }

    static final class OfNode extends RowView {
      private final ObjectNode n;

      OfNode(ObjectNode n) { this.n = n; }

      @Override boolean has(String key) { return n.has(key); }
      @Override Object get(String key) { return n.get(key); }
      @Override Iterable<String> keys() { return () -> n.fieldNames(); }
    }
  }
}
