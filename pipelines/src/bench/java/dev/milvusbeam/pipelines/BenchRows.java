package dev.milvusbeam.pipelines;

import java.util.SplittableRandom;

/**
 * The benchmark's rows: the seed schema's values (id, vector, scalar_1, scalar_2 and the dynamic
 * keys dynamic_field_1 / dynamic_field_2), generated from a seed, identically in every JVM (the
 * peer runs in its own process and regenerates them; the checksums are compared). JDK only: this
 * class is loaded next to the Java SDK too.
 */
final class BenchRows {
  static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** One row's values. */
  static final class Row {
    long id;
    float[] vector;
    String scalar1;
    long scalar2;
    boolean dynamicField1;
    int dynamicField2;
  }

  private final int dim;
  private final SplittableRandom random;
  private long next;
  private long checksum = 17;

  BenchRows(long seed, int dim) {
    this.dim = dim;
    this.random = new SplittableRandom(seed);
  }

  Row next() {
    Row r = new Row();
    r.id = next++;
    r.vector = new float[dim];
    long h = checksum * 31 + r.id;
    for (int d = 0; d < dim; d++) {
      float f = (float) (random.nextDouble() * 2 - 1);
      r.vector[d] = f;
      h = h * 31 + Float.floatToIntBits(f);
    }
    int len = 1 + random.nextInt(20);
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    r.scalar1 = sb.toString();
    r.scalar2 = random.nextInt(100);
    r.dynamicField1 = random.nextBoolean();
    r.dynamicField2 = random.nextInt(100);
    h = h * 31 + r.scalar1.hashCode();
    h = h * 31 + r.scalar2;
    h = h * 31 + (r.dynamicField1 ? 1 : 2);
    h = h * 31 + r.dynamicField2;
    checksum = h;
    return r;
  }

  /** A hash of every value generated so far (order included). */
  long checksum() {
    return checksum;
  }

  /** Median of the values (the mean of the two middle ones for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Bytes of the regular files under a folder (0 if it does not exist). */
  static long folderBytes(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return 0;
    }
    try (var s = java.nio.file.Files.walk(dir)) {
      return s.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Regular files under a folder. */
  static java.util.List<java.nio.file.Path> files(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return java.util.List.of();
    }
    try (var s = java.nio.file.Files.walk(dir)) {
      return s.filter(java.nio.file.Files::isRegularFile).sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }

  /** fsyncs every regular file under a folder (the --sync option, timed for every writer). */
  static void syncAll(java.nio.file.Path dir) throws java.io.IOException {
    for (java.nio.file.Path p : files(dir)) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }

  static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var s = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : s.sorted(java.util.Comparator.reverseOrder())
          .collect(java.util.stream.Collectors.toList())) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** Parses 1GiB, 512MB, 4g, 1073741824. */
  static long parseBytes(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace("ib", "").replace("b", "");
    long mul = 1;
    if (t.endsWith("k")) {
      mul = 1L << 10;
    } else if (t.endsWith("m")) {
      mul = 1L << 20;
    } else if (t.endsWith("g")) {
      mul = 1L << 30;
    }
    if (mul != 1) {
      t = t.substring(0, t.length() - 1);
    }
    return (long) (Double.parseDouble(t) * mul);
  }
}
