package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of raw bytes ({@code \n} or {@code \r\n}) without decoding them, so
 * that invalid UTF-8 reaches the JSON parser (which rejects the row) instead of being replaced.
 */
final class LineReader {
  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private int lineStart;
  private int lineLength;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    while (true) {
      for (int i = start; i < end; i++) {
        if (buf[i] == '\n') {
          set(start, i);
          start = i + 1;
          return true;
        }
      }
      if (eof) {
        if (start < end) {
          set(start, end);
          start = end;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void set(int from, int to) {
    int n = to - from;
    if (n > 0 && buf[to - 1] == '\r') {
      n--;
    }
    lineStart = from;
    lineLength = n;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  byte[] buffer() { return buf; }
  int offset() { return lineStart; }
  int length() { return lineLength; }

  boolean isBlank() {
    for (int i = lineStart; i < lineStart + lineLength; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
