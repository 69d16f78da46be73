package dev.milvusbeam.pipelines;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.io.LocalBulkWriter;
import dev.milvusbeam.io.MilvusIO;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Side-by-side benchmark (issue 5): per file type, this project's core writer
 * ({@link LocalBulkWriter}), the same through {@link MilvusIO} on the Direct runner, and the
 * official Java SDK BulkWriter (in its own JVM, {@link BenchPeer}); for NumPy, which the SDK
 * cannot write, a plain {@code FileChannel} writing the same files with the same byte counts.
 * Run with {@code bin/bench}; see the README's "Benchmark" section.
 */
public final class Bench {
  private Bench() {}

  /** The pre-generated rows the Beam path reads (Direct runner: same JVM). */
  static volatile List<Map<String, Object>> beamRows;

  static Map<String, Object> beamRow(Long i) {
    return beamRows.get(i.intValue());
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("rows", "100000");
    o.put("dim", "768");
    o.put("iterations", "3");
    o.put("warmup", "1");
    // the Direct runner path takes ~10x the core writer's time: 1 run by default (after the core
    // writer's runs, which warm up the same writer code in this JVM)
    o.put("beamIterations", "1");
    o.put("beamWarmup", "0");
    o.put("beamRunners", "direct,flink-p1,flink-p2");
    o.put("fileTypes", "parquet,json,csv,numpy");
    o.put("out", System.getProperty("java.io.tmpdir") + "/milvus-bench");
    o.put("seed", "42");
    o.put("segmentSize", "4GiB");
    o.put("generate", "auto");
    o.put("peerXmx", "10g");
    o.put("peerPrebuild", "auto");
    o.put("peerClasspath", "");
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unknown argument " + a);
      }
      int eq = a.indexOf('=');
      String k = a.substring(2, eq < 0 ? a.length() : eq);
      String v = eq < 0 ? "true" : a.substring(eq + 1);
      Set<String> flags = Set.of("oursOnly", "noBeam", "noPeer", "sync", "beamGenerated");
      if (!o.containsKey(k) && !flags.contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k + " (known: " + o.keySet()
            + ", --oursOnly, --noBeam, --noPeer, --sync, --beamGenerated)");
      }
      o.put(k, v);
    }
    int rows = Integer.parseInt(o.get("rows"));
    int dim = Integer.parseInt(o.get("dim"));
    int iterations = Integer.parseInt(o.get("iterations"));
    int warmup = Integer.parseInt(o.get("warmup"));
    long seed = Long.parseLong(o.get("seed"));
    long segmentSize = BenchRows.parseBytes(o.get("segmentSize"));
    boolean oursOnly = o.containsKey("oursOnly");
    boolean sync = o.containsKey("sync");
    boolean runBeam = !oursOnly && !o.containsKey("noBeam");
    boolean runPeer = !oursOnly && !o.containsKey("noPeer");
    List<FileType> types = new ArrayList<>();
    for (String t : o.get("fileTypes").split(",")) {
      types.add(FileType.fromName(t));
    }
    Path out = Paths.get(o.get("out")).toAbsolutePath();
    Files.createDirectories(out);
    long maxHeap = Runtime.getRuntime().maxMemory();
    // rows as maps with float[]: ~4 bytes per element + ~500 bytes of map, boxes and strings
    long rowsBytes = (long) rows * (dim * 4L + 500);
    boolean pregenerate = o.get("generate").equals("pre")
        || (o.get("generate").equals("auto") && rowsBytes < maxHeap / 4);
    System.err.printf(Locale.ROOT, "bench: rows=%d dim=%d iterations=%d (+%d warm-up) fileTypes=%s"
            + " segmentSize=%d out=%s heap=%d MB input=%s sync=%s cores=%d%n", rows, dim,
        iterations, warmup, types, segmentSize, out, maxHeap >> 20,
        pregenerate ? "pregenerated" : "generated-inside-the-timed-loop", sync,
        Runtime.getRuntime().availableProcessors());
    long t0 = System.nanoTime();

    // 1. the peer (its own JVM, its own dependency set), before anything is held in this heap
    Map<String, String[]> peer = new HashMap<>();
    List<String> peerTypes = types.stream().filter(t -> t != FileType.NUMPY && t != FileType.JSONL)
        .map(FileType::toString).collect(Collectors.toList());
    if (runPeer && !peerTypes.isEmpty()) {
      peer = runPeer(o, rows, dim, seed, iterations, warmup, segmentSize, sync, out, peerTypes);
    }

    // 2. rows generated before timing, once, for every writer of this JVM
    CollectionSchema schema = Demo.seedSchema(dim);
    List<Map<String, Object>> maps = null;
    long checksum;
    if (pregenerate) {
      long g0 = System.nanoTime();
      BenchRows gen = new BenchRows(seed, dim);
      maps = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        maps.add(map(gen.next()));
      }
      checksum = gen.checksum();
      System.err.printf(Locale.ROOT, "bench: %d rows generated as Java maps with float[] vectors"
          + " (%.1f s, not timed)%n", rows, (System.nanoTime() - g0) / 1e9);
    } else {
      BenchRows gen = new BenchRows(seed, dim);
      for (int i = 0; i < rows; i++) {
        gen.next();
      }
      checksum = gen.checksum();
      if (runBeam) {
        System.err.println("bench: rows do not fit the heap pregenerated: no Beam run");
        runBeam = false;
      }
    }
    beamRows = maps;
    generatedDim = dim;
    generatedSeed = seed;
    HeapMonitor heap = new HeapMonitor();

    List<String> lines = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (FileType type : types) {
      // ours: the core writer
      double[] ours = new double[iterations];
      long[] heapMb = new long[iterations];
      long oursBytes = 0;
      int oursFiles = 0;
      List<Long> fileSizes = new ArrayList<>();
      String heapDetail = "";
      for (int it = -warmup; it < iterations; it++) {
        Path dir = out.resolve("ours-" + type + "-" + (it + warmup));
        heap.before();
        long s0 = System.nanoTime();
        String dataPath;
        int files;
        try (LocalBulkWriter w = LocalBulkWriter.builder(schema, dir.toString())
            .fileType(type).segmentSize(segmentSize).build()) {
          if (maps != null) {
            for (int i = 0; i < rows; i++) {
              w.appendRow(maps.get(i));
            }
          } else {
            BenchRows gen = new BenchRows(seed, dim);
            for (int i = 0; i < rows; i++) {
              w.appendRow(map(gen.next()));
            }
          }
          w.commit();
          dataPath = w.getDataPath();
          files = w.getBatchFiles().size();
        }
        if (sync) {
          BenchRows.syncAll(dir);
        }
        double s = (System.nanoTime() - s0) / 1e9;
        HeapMonitor.Result h = heap.after();
        oursBytes = BenchRows.folderBytes(Paths.get(dataPath));
        oursFiles = files;
        fileSizes.clear();
        for (Path f : BenchRows.files(Paths.get(dataPath))) {
          fileSizes.add(f.toFile().length());
        }
        BenchRows.deleteTree(dir);
        System.err.printf(Locale.ROOT, "ours %s %s: %.2f s, %d rows/s, %.1f MB, %d segment(s),"
                + " writer heap %d MB%n", type, it < 0 ? "warm-up" : "iteration " + (it + 1), s,
            Math.round(rows / s), oursBytes / 1e6, files, h.writerMb);
        if (it >= 0) {
          ours[it] = s;
          heapMb[it] = h.writerMb;
          heapDetail = h.detail;
        }
      }
      double oursS = BenchRows.median(ours);
      double oursRate = rows / oursS;
      long oursHeap = java.util.Arrays.stream(heapMb).max().orElse(0);

      // Beam: MilvusIO on the Direct runner and on embedded Flink (parallelism 1 and 2), the
      // same pregenerated rows; or, when they do not fit, rows generated inside the pipeline
      List<String> beamLines = new ArrayList<>();
      if (runBeam || o.containsKey("beamGenerated")) {
        int beamIterations = Integer.parseInt(o.get("beamIterations"));
        int beamWarmup = Integer.parseInt(o.get("beamWarmup"));
        for (String runner : o.get("beamRunners").split(",")) {
          double[] beam = new double[beamIterations];
          long beamBytes = 0;
          long beamFiles = 0;
          for (int it = -beamWarmup; it < beamIterations; it++) {
            Path dir = out.resolve("beam-" + runner + "-" + type + "-" + (it + beamWarmup));
            System.gc();
            long s0 = System.nanoTime();
            Pipeline p = Pipeline.create(beamOptions(runner));
            p.apply("Rows", GenerateSequence.from(0).to(rows))
                .apply("Write", MilvusIO.<Long>write(beamRows != null ? Bench::beamRow
                        : Bench::generatedRow)
                    .withSchema(schema).to(dir.toString()).withFileType(type)
                    .withSegmentSize(segmentSize).withDataFolderName("data"));
            p.run().waitUntilFinish();
            if (sync) {
              BenchRows.syncAll(dir);
            }
            double s = (System.nanoTime() - s0) / 1e9;
            beamBytes = BenchRows.folderBytes(dir.resolve("data"));
            beamFiles = BenchRows.files(dir.resolve("data")).size();
            BenchRows.deleteTree(dir);
            System.err.printf(Locale.ROOT, "beam-%s %s %s: %.2f s, %d rows/s, %.1f MB,"
                    + " %d file(s)%n", runner, type,
                it < 0 ? "warm-up" : "iteration " + (it + 1), s, Math.round(rows / s),
                beamBytes / 1e6, beamFiles);
            if (it >= 0) {
              beam[it] = s;
            }
          }
          double beamRate = rows / BenchRows.median(beam);
          beamLines.add(String.format(Locale.ROOT, "bench-beam %s runner=%s rows=%d dim=%d"
                  + " beam_rows_per_s=%d beam_over_core=%.2f beam_output_mb=%.1f beam_files=%d"
                  + " beam_iterations_s=%s rows_from=%s (%d run(s) after %d warm-up)", type,
              runner, rows, dim, Math.round(beamRate), beamRate / oursRate, beamBytes / 1e6,
              beamFiles, join(beam), beamRows != null ? "pregenerated" : "generated-in-pipeline",
              beamIterations, beamWarmup));
        }
      }

      // peer: the Java SDK's result, or for NumPy the raw FileChannel limit on the same bytes
      String peerRate = "n/a";
      String ratio = "n/a";
      String peerDetail = null;
      if (type == FileType.NUMPY && !oursOnly && !o.containsKey("noPeer")) {
        double[] raw = new double[iterations];
        for (int it = -warmup; it < iterations; it++) {
          Path dir = out.resolve("raw-" + (it + warmup));
          System.gc();
          long s0 = System.nanoTime();
          rawWrite(dir, fileSizes);
          if (sync) {
            BenchRows.syncAll(dir);
          }
          double s = (System.nanoTime() - s0) / 1e9;
          BenchRows.deleteTree(dir);
          System.err.printf(Locale.ROOT, "raw FileChannel %s: %.2f s, %.1f MB/s%n",
              it < 0 ? "warm-up" : "iteration " + (it + 1), s, oursBytes / 1e6 / s);
          if (it >= 0) {
            raw[it] = s;
          }
        }
        double rawS = BenchRows.median(raw);
        peerRate = String.valueOf(Math.round(rows / rawS));
        ratio = String.format(Locale.ROOT, "%.2f", rawS > 0 ? oursRate / (rows / rawS) : 0);
        peerDetail = String.format(Locale.ROOT, "bench-peer %s peer=raw_filechannel"
                + " peer_output_mb=%.1f peer_files=%d peer_mb_per_s=%.1f peer_median_s=%.3f",
            type, oursBytes / 1e6, fileSizes.size(), oursBytes / 1e6 / rawS, rawS);
      } else if (peer.containsKey(type.toString())) {
        String[] r = peer.get(type.toString());
        double peerS = Double.parseDouble(r[0]);
        long peerBytes = Long.parseLong(r[1]);
        peerRate = String.valueOf(Math.round(rows / peerS));
        ratio = String.format(Locale.ROOT, "%.2f", oursRate / (rows / peerS));
        peerDetail = String.format(Locale.ROOT, "bench-peer %s peer=milvus-sdk-java-bulkwriter"
                + ":2.5.5 peer_output_mb=%.1f peer_files=%s peer_mb_per_s=%.1f"
                + " peer_median_s=%.3f peer_iterations_s=%s peer_input=%s same_rows=%s",
            type, peerBytes / 1e6, r[2], peerBytes / 1e6 / peerS, peerS, r[4], r[3],
            Long.parseLong(r[5]) == checksum);
      }
      String line = String.format(Locale.ROOT, "bench %s rows=%d dim=%d ours_rows_per_s=%d"
              + " peer_rows_per_s=%s ratio=%s ours_peak_heap_mb=%d", type, rows, dim,
          Math.round(oursRate), peerRate, ratio, oursHeap);
      lines.add(line);
      extra.add(String.format(Locale.ROOT, "bench-ours %s ours_output_mb=%.1f ours_files=%d"
              + " ours_segments=%d ours_mb_per_s=%.1f ours_median_s=%.3f ours_iterations_s=%s %s",
          type, oursBytes / 1e6, fileSizes.size(), oursFiles, oursBytes / 1e6 / oursS, oursS,
          join(ours), heapDetail));
      if (!beamLines.isEmpty()) {
        extra.addAll(beamLines);
      }
      if (peerDetail != null) {
        extra.add(peerDetail);
      }
      System.out.println(line); // as soon as known; repeated in the summary below
      System.out.flush();
    }
    System.out.println("---- summary (" + String.format(Locale.ROOT, "%.0f s",
        (System.nanoTime() - t0) / 1e9) + " in the benchmark JVM) ----");
    lines.forEach(System.out::println);
    extra.forEach(System.out::println);
    try (var s = Files.list(out)) {
      if (s.findAny().isEmpty()) {
        Files.delete(out);
      }
    }
  }

  private static String join(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double d : v) {
      sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", d));
    }
    return sb.toString();
  }

  static volatile int generatedDim;
  static volatile long generatedSeed;

  /** Row {@code i} made from the seed alone: for Beam runs whose rows do not fit the heap. */
  static Map<String, Object> generatedRow(Long i) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(generatedSeed * 1_000_003L + i);
    BenchRows.Row row = new BenchRows.Row();
    row.id = i;
    row.vector = new float[generatedDim];
    for (int d = 0; d < generatedDim; d++) {
      row.vector[d] = (float) (r.nextDouble() * 2 - 1);
    }
    row.scalar1 = "row-" + i;
    row.scalar2 = r.nextLong(1_000_000);
    row.dynamicField1 = (i & 1) == 0;
    row.dynamicField2 = (int) (i % 1000);
    return map(row);
  }

  /**
   * Beam options as bin/bulkwriter convert sets them for a runner: direct, flink-p1, flink-p2
   * (local output: no AWS region lookup, {@link CommandOptions#withoutRegionLookupUnlessS3}).
   */
  static PipelineOptions beamOptions(String runner) {
    if (runner.equals("direct")) {
      String[] flags = {"--runner=DirectRunner"};
      PipelineOptions po = CommandOptions.withoutRegionLookupUnlessS3(flags,
          PipelineOptionsFactory.fromArgs(flags).create());
      org.apache.beam.runners.direct.DirectOptions direct =
          po.as(org.apache.beam.runners.direct.DirectOptions.class);
      direct.setEnforceImmutability(false); // as convert runs it: test-only checks off
      direct.setEnforceEncodability(false);
      return po;
    }
    if (runner.startsWith("flink-p")) {
      // as convert sets them: embedded Flink's configuration folder, no AWS region lookup
      String[] flags = RunnerDefaults.forConvert(new String[] {"--runner=FlinkRunner",
          "--flinkMaster=[local]", "--parallelism=" + runner.substring("flink-p".length())});
      return CommandOptions.withoutRegionLookupUnlessS3(flags,
          PipelineOptionsFactory.fromArgs(flags).create());
    }
    throw new IllegalArgumentException("--beamRunners: direct, flink-p1, flink-p2 ...: " + runner);
  }

  private static Map<String, Object> map(BenchRows.Row r) {
    Map<String, Object> m = new HashMap<>(12);
    m.put("id", r.id);
    m.put("vector", r.vector);
    m.put("scalar_1", r.scalar1);
    m.put("scalar_2", r.scalar2);
    m.put("dynamic_field_1", r.dynamicField1);
    m.put("dynamic_field_2", r.dynamicField2);
    return m;
  }

  /** Writes files of the given sizes with a plain FileChannel and 8 MiB direct buffers. */
  private static void rawWrite(Path dir, List<Long> sizes) throws Exception {
    Files.createDirectories(dir);
    ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
    for (int i = 0; i < buf.capacity(); i++) {
      buf.put(i, (byte) (i * 31 + 7));
    }
    int n = 0;
    for (long size : sizes) {
      try (FileChannel ch = FileChannel.open(dir.resolve("f" + (n++) + ".npy"),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long left = size;
        while (left > 0) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity(), left));
          while (buf.hasRemaining()) {
            left -= ch.write(buf);
          }
        }
      }
    }
  }

  /** Runs {@link BenchPeer} in its own JVM; returns per type {median s, bytes, files, input, all s, checksum}. */
  private static Map<String, String[]> runPeer(Map<String, String> o, int rows, int dim, long seed,
      int iterations, int warmup, long segmentSize, boolean sync, Path out, List<String> types)
      throws Exception {
    String cp = o.get("peerClasspath");
    if (cp.isEmpty()) {
      throw new IllegalArgumentException("--peerClasspath=FILE (the SDK's classpath, written by"
          + " bin/bench) is needed for the peer; or pass --noPeer / --oursOnly");
    }
    String peerCp = Files.readString(Paths.get(cp), StandardCharsets.UTF_8).trim();
    String self = Paths.get(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + o.get("peerXmx"), "-cp", self + File.pathSeparator + peerCp,
        "dev.milvusbeam.pipelines.BenchPeer", "--rows=" + rows, "--dim=" + dim, "--seed=" + seed,
        "--iterations=" + iterations, "--warmup=" + warmup, "--segmentSize=" + segmentSize,
        "--sync=" + sync, "--out=" + out.resolve("peer"), "--prebuild=" + o.get("peerPrebuild"),
        "--fileTypes=" + String.join(",", types)));
    System.err.println("bench: peer JVM: java -Xmx" + o.get("peerXmx")
        + " -cp <bench classes>:<milvus-sdk-java-bulkwriter 2.5.5 and its own dependencies>"
        + " BenchPeer ...");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String[]> result = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("peer-result ")) {
          System.err.println("peer: " + line);
          continue;
        }
        String[] f = line.split(" ");
        Map<String, String> kv = new HashMap<>();
        for (int i = 2; i < f.length; i++) {
          int eq = f[i].indexOf('=');
          kv.put(f[i].substring(0, eq), f[i].substring(eq + 1));
        }
        double[] s = java.util.Arrays.stream(kv.get("seconds").split(","))
            .mapToDouble(Double::parseDouble).toArray();
        result.put(f[1], new String[] {String.valueOf(BenchRows.median(s)), kv.get("bytes"),
            kv.get("files"), kv.get("input"), kv.get("seconds"), kv.get("checksum")});
      }
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("the peer JVM failed (exit " + rc + ")");
    }
    return result;
  }

  /**
   * The writer's heap. Before a run: a full GC, then the heap in use is the baseline (the
   * benchmark's own pregenerated rows), and the pools' peaks are reset. During the run, every GC
   * reports the heap in use after it (a JMX GC notification). The writer's peak heap is the
   * highest after-GC heap during the run minus the baseline: memory the writer kept reachable
   * (an upper bound: old-generation garbage not yet collected counts too). Without any GC during
   * the run, the pools' peak usage minus the baseline is used (garbage included).
   */
  static final class HeapMonitor {
    private final Set<String> heapPools;
    private volatile long maxAfterGc;
    private volatile int gcs;
    private long baseline;

    record Result(long writerMb, String detail) {}

    HeapMonitor() {
      heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener(this::onGc, null, null);
      }
    }

    private void onGc(Notification n, Object handback) {
      if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          used += e.getValue().getUsed();
        }
      }
      synchronized (this) {
        maxAfterGc = Math.max(maxAfterGc, used);
        gcs++;
      }
    }

    void before() throws InterruptedException {
      System.gc();
      Thread.sleep(100); // let the notification of that GC arrive before resetting
      baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      synchronized (this) {
        maxAfterGc = 0;
        gcs = 0;
      }
    }

    Result after() throws InterruptedException {
      Thread.sleep(100);
      long peakPools = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed())
          .sum();
      long live;
      int n;
      synchronized (this) {
        live = maxAfterGc;
        n = gcs;
      }
      long writer = Math.max(0, (n > 0 ? live : peakPools) - baseline);
      String detail = String.format(Locale.ROOT, "heap_baseline_mb=%d heap_peak_after_gc_mb=%d"
              + " heap_pools_peak_mb=%d gcs=%d heap_source=%s", baseline >> 20, live >> 20,
          peakPools >> 20, n, n > 0 ? "after_gc" : "pools_peak_no_gc_in_run_garbage_included");
      return new Result(writer >> 20, detail);
    }
  }
}
