package dev.milvusbeam.io;

import dev.milvusbeam.core.row.Excerpts;
import dev.milvusbeam.core.row.Rule;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.row.ValidRowCodec;
import dev.milvusbeam.core.row.Violation;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * {@link MilvusIO.Write#withPrimaryKeyDeduplication}: lets one row per primary key through to the
 * writing step and reports every other valid row with that key as a {@link FailedRow} with rule
 * {@code duplicate-primary-key} (Milvus' import keeps both, so the collection would hold both).
 *
 * <p>Each element is parsed and checked (uncounted, {@link RowChecker#peek}) to find its primary
 * key as the validator normalizes it (int64 or varchar, as text); the valid ones are grouped by
 * key ({@code GroupByKey}: a shuffle of the input elements, as they are), the invalid ones pass
 * unchanged, so the writing step checks and reports them exactly as without deduplication. Of
 * a key's rows the one kept is:
 *
 * <ul>
 *   <li>the first by input file (its name, as a string) and then line, when the parser knows
 *       them ({@code convert}'s inputs);</li>
 *   <li>otherwise ({@code writeJson()}, {@code writeRows()}, {@code write(fn)}: elements have no
 *       order) the row whose validated binary form ({@link ValidRowCodec}) sorts first, byte by
 *       byte: the same row whatever the runner or its retries.</li>
 * </ul>
 *
 * <p>The other rows of the key are held in memory while their failures are reported. Unbounded
 * input is deduplicated within each window pane (each its own data folder), in discarding mode.
 */
final class DeduplicateByPrimaryKey<T> extends PTransform<PCollection<T>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The rows the writer gets: one valid row per key, and every invalid row. */
  final TupleTag<T> rows = new TupleTag<>("rows");
  /** The other valid rows of each key. */
  final TupleTag<FailedRow> duplicates = new TupleTag<>("duplicates");

  private final TupleTag<KV<String, T>> keyed = new TupleTag<>("keyed");
  private final TupleTag<T> unkeyed = new TupleTag<>("unkeyed");
  private final RowChecker<T> checker;
  private final CollectionSchema schema;

  DeduplicateByPrimaryKey(RowChecker<T> checker, CollectionSchema schema) {
    this.checker = checker;
    this.schema = schema;
  }

  @Override
  public PCollectionTuple expand(PCollection<T> input) {
    Coder<T> elementCoder = input.getCoder();
    PCollection<T> in = input.isBounded() == PCollection.IsBounded.BOUNDED ? input
        : input.apply("DiscardFiredPanes", Window.<T>configure().discardingFiredPanes());
    PCollectionTuple split = in.apply("KeyByPrimaryKey",
        ParDo.of(new KeyFn<>(checker, schema.columns().indexOf(schema.primaryKey()), keyed,
            unkeyed)).withOutputTags(keyed, TupleTagList.of(unkeyed)));
    PCollectionTuple grouped = split.get(keyed)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), elementCoder))
        .apply("GroupByPrimaryKey", GroupByKey.create())
        .apply("KeepFirst", ParDo.of(new KeepFirstFn<>(checker, schema, rows, duplicates))
            .withOutputTags(rows, TupleTagList.of(duplicates)));
    PCollection<T> out = PCollectionList.of(grouped.get(rows).setCoder(elementCoder))
        .and(split.get(unkeyed).setCoder(elementCoder))
        .apply("WithInvalidRows", Flatten.pCollections())
        .setCoder(elementCoder);
    return PCollectionTuple.of(rows, out).and(duplicates,
        grouped.get(duplicates).setCoder(SerializableCoder.of(FailedRow.class)));
  }

  /** The primary key of a value as the validator normalized it (Long or String), as text. */
  static String keyText(Object pk) {
    return pk.toString();
  }

  /** Valid elements, keyed by primary key, to {@code keyed}; invalid ones to {@code unkeyed}. */
  static final class KeyFn<T> extends DoFn<T, KV<String, T>> {
    private static final long serialVersionUID = 1L;
    private final RowChecker<T> checker;
    private final int pkColumn;
    private final TupleTag<KV<String, T>> keyed;
    private final TupleTag<T> unkeyed;

    KeyFn(RowChecker<T> checker, int pkColumn, TupleTag<KV<String, T>> keyed,
        TupleTag<T> unkeyed) {
      this.checker = checker;
      this.pkColumn = pkColumn;
      this.keyed = keyed;
      this.unkeyed = unkeyed;
    }

    @ProcessElement
    public void process(@Element T element, MultiOutputReceiver out) {
      ValidRow row = checker.peek(element);
      if (row == null) {
        out.get(unkeyed).output(element);
      } else {
        out.get(keyed).output(KV.of(keyText(row.get(pkColumn)), element));
      }
    }
  }

  /** Of one key's rows: the first (see the class) to {@code rows}, the others as failures. */
  static final class KeepFirstFn<T> extends DoFn<KV<String, Iterable<T>>, T> {
    private static final long serialVersionUID = 1L;
    private final RowChecker<T> checker;
    private final CollectionSchema schema;
    private final TupleTag<T> rows;
    private final TupleTag<FailedRow> duplicates;
    private transient ValidRowCodec codec;

    KeepFirstFn(RowChecker<T> checker, CollectionSchema schema, TupleTag<T> rows,
        TupleTag<FailedRow> duplicates) {
      this.checker = checker;
      this.schema = schema;
      this.rows = rows;
      this.duplicates = duplicates;
    }

    @Setup
    public void setUp() {
      codec = new ValidRowCodec(schema);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<T>> group, MultiOutputReceiver out) {
      Iterator<T> it = group.getValue().iterator(); // iterated once: runners may not re-iterate
      T first = it.next();
      if (!it.hasNext()) {
        out.get(rows).output(first);
        return;
      }
      List<Candidate<T>> all = new ArrayList<>();
      all.add(new Candidate<>(first, checker));
      while (it.hasNext()) {
        all.add(new Candidate<>(it.next(), checker));
      }
      Candidate<T> kept = all.stream().min(order()).get();
      out.get(rows).output(kept.element);
      String pk = group.getKey();
      String message = "another row has primary key " + Excerpts.shorten(pk) + " and is kept: "
          + (kept.hasPosition() ? kept.source + ":" + kept.line
              + " (the first by input file and line)"
              : Excerpts.shorten(checker.describe(kept.element))
              + " (the input has no order: the row whose validated binary form sorts first)");
      List<Violation> why = List.of(new Violation(schema.primaryKey().name(),
          Rule.DUPLICATE_PRIMARY_KEY, message, Excerpts.shorten(pk), Excerpts.shorten(pk)));
      for (Candidate<T> c : all) {
        if (c != kept) {
          checker.reject(c.element, why, out.get(duplicates)::output);
        }
      }
    }

    /** Rows with a known file and line first, by them; then by the row's binary form. */
    private Comparator<Candidate<T>> order() {
      return Comparator.<Candidate<T>, Boolean>comparing(c -> !c.hasPosition())
          .thenComparing(c -> c.hasPosition() ? c.source : "")
          .thenComparingLong(c -> c.line)
          .thenComparing(c -> c.encoded(codec), Arrays::compareUnsigned);
    }
  }

  /** One row of a key, with where it came from and (when needed) its binary form. */
  private static final class Candidate<T> {
    final T element;
    final String source;
    final long line;
    private final RowChecker<T> checker;
    private byte[] encoded;

    Candidate(T element, RowChecker<T> checker) {
      this.element = element;
      this.checker = checker;
      this.source = checker.source(element);
      this.line = checker.line(element);
    }

    boolean hasPosition() {
      return source != null && line > 0;
    }

    byte[] encoded(ValidRowCodec codec) {
      if (encoded == null) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
          codec.encode(checker.peek(element), b); // valid: it was keyed
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        encoded = b.toByteArray();
      }
      return encoded;
    }
  }
}
