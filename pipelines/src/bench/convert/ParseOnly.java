import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bin/bench-convert's "parse-only" limit: the JSONL file read and every line parsed with Jackson
 * on all cores, nothing written. The file is cut into one byte range per thread at line starts;
 * each thread reads its range with positional reads and parses each line with
 * {@code ObjectMapper.readTree} (--mode=tree, the default) or walks its tokens with the streaming
 * parser, reading every number as a double (--mode=stream). Runs on pipelines/target/lib/*
 * (jackson-databind), compiled by bin/bench-convert.
 *
 * <pre>ParseOnly --input=F.jsonl [--mode=tree|stream] [--threads=N]</pre>
 * Prints {@code parse-only-result rows=<n> threads=<n> mode=<m> seconds=<s>} on stdout.
 */
public final class ParseOnly {
  private static final int BUFFER = 8 << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private ParseOnly() {}

  public static void main(String[] args) throws Exception {
    Path input = null;
    boolean tree = true;
    int threads = Runtime.getRuntime().availableProcessors();
    for (String a : args) {
      if (a.startsWith("--input=")) {
        input = Paths.get(a.substring(8));
      } else if (a.startsWith("--mode=")) {
        tree = !a.substring(7).equals("stream");
      } else if (a.startsWith("--threads=")) {
        threads = Integer.parseInt(a.substring(10));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    long t0 = System.nanoTime();
    long size;
    try (FileChannel ch = FileChannel.open(input, StandardOpenOption.READ)) {
      size = ch.size();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Long>> parts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long from = size * i / threads;
      long to = size * (i + 1) / threads;
      boolean asTree = tree;
      Path file = input;
      parts.add(pool.submit(() -> parseRange(file, from, to, asTree)));
    }
    long rows = 0;
    for (Future<Long> f : parts) {
      rows += f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "parse-only-result rows=%d threads=%d mode=%s seconds=%.3f%n",
        rows, threads, tree ? "tree" : "stream", s);
  }

  /** Parses the lines that start in [from, to). */
  static long parseRange(Path file, long from, long to, boolean tree) throws IOException {
    long rows = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] buf = new byte[BUFFER];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      long pos = from;
      boolean skipFirst = from > 0;
      if (skipFirst) {
        pos = from - 1; // a line starting exactly at from belongs to this range
      }
      int start = 0;
      int limit = 0;
      long bufPos = pos; // file offset of buf[0]
      while (true) {
        // make room and read more
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, limit - start);
          bufPos += start;
          limit -= start;
          start = 0;
        }
        if (limit == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          bb = ByteBuffer.wrap(buf);
        }
        bb.limit(buf.length).position(limit);
        int n = ch.read(bb, bufPos + limit);
        boolean eof = n < 0;
        if (n > 0) {
          limit += n;
        }
        int i = start;
        while (true) {
          int nl = -1;
          for (int j = i; j < limit; j++) {
            if (buf[j] == '\n') {
              nl = j;
              break;
            }
          }
          if (nl < 0) {
            if (eof && limit > start && !skipFirst && bufPos + start < to) {
              rows += parse(buf, start, limit - start, tree);
              start = limit;
            }
            break;
          }
          if (skipFirst) {
            skipFirst = false;
          } else {
            if (bufPos + start >= to) {
              return rows;
            }
            rows += parse(buf, start, nl - start, tree);
          }
          start = nl + 1;
          i = start;
        }
        if (eof || bufPos + start >= to) {
          return rows;
        }
      }
    }
  }

  private static int parse(byte[] b, int off, int len, boolean tree) throws IOException {
    while (len > 0 && (b[off + len - 1] == '\r' || b[off + len - 1] == ' ')) {
      len--;
    }
    if (len == 0) {
      return 0;
    }
    if (tree) {
      JsonNode n = MAPPER.readTree(b, off, len);
      if (!n.isObject()) {
        throw new IOException("not an object: " + n.getNodeType());
      }
      return 1;
    }
    double sum = 0;
    try (JsonParser p = FACTORY.createParser(b, off, len)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
          sum += p.getDoubleValue();
        } else if (t == JsonToken.VALUE_STRING) {
          sum += p.getTextLength();
        }
      }
    }
    return sum == Double.NEGATIVE_INFINITY ? 2 : 1; // keeps the values used
  }
}
