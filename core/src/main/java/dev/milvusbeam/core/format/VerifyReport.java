package dev.milvusbeam.core.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a verification found: problems and warnings (every one counted per kind, the first
 * {@code keep} kept and passed to the listener as they are found), segments and rows read.
 * Written by one thread; the counts (volatile) may be read by another, e.g. a progress display.
 */
public final class VerifyReport {
  private final int keep;
  private final Consumer<Problem> listener;
  private final List<Problem> kept = new ArrayList<>();
  private final Map<String, Long> problemCounts = new TreeMap<>();
  private final Map<String, Long> warningCounts = new TreeMap<>();
  private volatile long problems;
  private volatile long warnings;
  private volatile long rows;
  private volatile int segments;

  /**
   * @param keep how many problems and warnings to keep (and pass on); the rest are only counted
   * @param listener called with each kept one as it is found (e.g. to print it)
   */
  public VerifyReport(int keep, Consumer<Problem> listener) {
    this.keep = keep;
    this.listener = listener == null ? p -> { } : listener;
  }

  public VerifyReport() {
    this(Integer.MAX_VALUE, null);
  }

  public void add(Problem p) {
    if (p.warning()) {
      warnings++;
      warningCounts.merge(p.kind(), 1L, Long::sum);
    } else {
      problems++;
      problemCounts.merge(p.kind(), 1L, Long::sum);
    }
    if (kept.size() < keep) {
      kept.add(p);
      listener.accept(p);
    }
  }

  /** A problem not about one row. */
  public void problem(String file, String field, String kind, String message) {
    add(new Problem(file, 0, 0, field, kind, message, null, false));
  }

  public void warning(String file, String field, String kind, String message) {
    add(new Problem(file, 0, 0, field, kind, message, null, true));
  }

  public void addRows(long n) {
    rows += n;
  }

  public void addSegment() {
    segments++;
  }

  /** Problems found (warnings not included): the verification passes when this is 0. */
  public long problems() { return problems; }
  public long warnings() { return warnings; }
  /** Rows read from the files. */
  public long rows() { return rows; }
  /** Segments (file groups) found. */
  public int segments() { return segments; }
  /** The first problems and warnings, in the order found. */
  public List<Problem> kept() { return Collections.unmodifiableList(kept); }
  /** Problems per kind (warnings not included). */
  public Map<String, Long> problemCounts() { return Collections.unmodifiableMap(problemCounts); }
  public Map<String, Long> warningCounts() { return Collections.unmodifiableMap(warningCounts); }

  /** True when some problem or warning was counted but not kept. */
  public boolean truncated() {
    return problems + warnings > kept.size();
  }
}
