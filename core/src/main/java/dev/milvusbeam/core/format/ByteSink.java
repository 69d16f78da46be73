package dev.milvusbeam.core.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A growable byte buffer that encoders write into directly ({@link #array}, {@link #size},
 * {@link #ensure}) and that is written out in one call. Not thread-safe.
 */
public final class ByteSink extends OutputStream {
  private byte[] buf;
  private int size;

  public ByteSink(int capacity) {
    this.buf = new byte[capacity];
  }

  /** The backing array: valid bytes are {@code [0, size())}. Changes when it grows. */
  public byte[] array() {
    return buf;
  }

  public int size() {
    return size;
  }

  /** Sets the end after bytes were written into {@link #array} directly. */
  public void size(int n) {
    size = n;
  }

  public void reset() {
    size = 0;
  }

  /** Empties the sink and replaces its array by a smaller one. */
  public void trim(int capacity) {
    buf = new byte[capacity];
    size = 0;
  }

  /** Makes room for {@code more} bytes after {@link #size}; returns the (maybe new) array. */
  public byte[] ensure(int more) {
    int need = size + more;
    if (need > buf.length) {
      if (need < 0) {
        throw new OutOfMemoryError("encoded batch above 2 GiB");
      }
      byte[] b = new byte[Math.max(need, buf.length + (buf.length >> 1))];
      System.arraycopy(buf, 0, b, 0, size);
      buf = b;
    }
    return buf;
  }

  @Override
  public void write(int b) {
    ensure(1)[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    System.arraycopy(b, off, ensure(len), size, len);
    size += len;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  /** Appends ASCII text. */
  public void writeAscii(String s) {
    byte[] b = ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      b[size++] = (byte) s.charAt(i);
    }
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }
}
