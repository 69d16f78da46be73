package dev.milvusbeam.core.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.parquet.io.SeekableInputStream;

/**
 * parquet-java's {@link SeekableInputStream} over any seekable channel (a local file, a Beam file
 * system's channel), so Parquet files are read where they are, without Hadoop's file system.
 */
public final class ChannelInputStream extends SeekableInputStream {
  private final SeekableByteChannel ch;

  public ChannelInputStream(SeekableByteChannel ch) {
    this.ch = ch;
  }

  @Override
  public long getPos() throws IOException {
    return ch.position();
  }

  @Override
  public void seek(long pos) throws IOException {
    ch.position(pos);
  }

  @Override
  public int read() throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    int n = read(one);
    return n <= 0 ? -1 : one.get(0) & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(ByteBuffer.wrap(b));
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    readFully(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public int read(ByteBuffer buf) throws IOException {
    return buf.hasRemaining() ? ch.read(buf) : 0;
  }

  @Override
  public void readFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new EOFException("the Parquet file ends before the data its footer announces");
      }
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
