package dev.milvusbeam.core.writer;

import dev.milvusbeam.core.format.SegmentOutput;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A {@link SegmentOutput} that sizes and checksums (CRC32C) every file as it streams past, so the
 * manifest can name each file's checksum without reading anything back; a local file written at
 * positions ({@link #createRandomAccess}) is read back once on close instead. Only a file whose
 * stream or channel was closed has a digest.
 */
final class DigestingSegmentOutput implements SegmentOutput {
  private final SegmentOutput target;
  private final Map<String, FileDigest> digests = new TreeMap<>();

  DigestingSegmentOutput(SegmentOutput target) {
    this.target = target;
  }

  @Override
  public OutputStream create(String relativePath) throws IOException {
    // buffered above the checksum so a writer's single-byte writes reach CRC32C in blocks
    return new BufferedOutputStream(new Digesting(relativePath, target.create(relativePath)),
        1 << 16);
  }

  @Override
  public FileChannel createRandomAccess(String relativePath) throws IOException {
    FileChannel file = target.createRandomAccess(relativePath);
    return file == null ? null : new DigestingFileChannel(file,
        d -> closed(new FileDigest(relativePath, d[0], base64((int) d[1]))));
  }

  static String base64(int crc) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array());
  }

  /** The digests of the given files, in that order; fails if one was never written and closed. */
  synchronized List<FileDigest> digests(List<String> files) {
    List<FileDigest> out = new ArrayList<>(files.size());
    for (String f : files) {
      FileDigest d = digests.get(f);
      if (d == null) {
        throw new IllegalStateException("segment file '" + f + "' was not written");
      }
      out.add(d);
    }
    return out;
  }

  private synchronized void closed(FileDigest d) {
    digests.put(d.path(), d);
  }

  private final class Digesting extends FilterOutputStream {
    private final String path;
    private final CRC32C crc = new CRC32C();
    private long count;
    private boolean closed;

    Digesting(String path, OutputStream out) {
      super(out);
      this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      out.close(); // only a file that reached its store completely gets a digest
      closed(new FileDigest(path, count, base64((int) crc.getValue())));
    }
  }
}
