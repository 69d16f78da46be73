package dev.milvusbeam.core.writer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A local file written at arbitrary positions (the NumPy writer puts a column's header last): its
 * CRC32C can only be taken once it is complete, so on close the file is read back once, mapped,
 * from the page cache, before the channel is released. The channel must be open for reading.
 */
final class DigestingFileChannel extends FileChannel {
  private static final long MAP_CHUNK = 1L << 30;

  private final FileChannel file;
  private final Consumer<long[]> onClosed;

  /** {@code onClosed} receives {size, crc32c} of the complete file. */
  DigestingFileChannel(FileChannel file, Consumer<long[]> onClosed) {
    this.file = file;
    this.onClosed = onClosed;
  }

  @Override
  protected void implCloseChannel() throws IOException {
    try {
      long size = file.size();
      CRC32C crc = new CRC32C();
      for (long pos = 0; pos < size; pos += MAP_CHUNK) {
        crc.update(file.map(MapMode.READ_ONLY, pos, Math.min(MAP_CHUNK, size - pos)));
      }
      onClosed.accept(new long[] {size, crc.getValue()});
    } finally {
      file.close();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return file.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return file.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    file.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    file.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    return file.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    return file.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return file.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return file.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }
}
