package dev.milvusbeam.io;

import dev.milvusbeam.core.format.SegmentOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * The one file of a single-file segment, written to a channel its caller owns (the one {@code
 * FileIO} hands {@link MilvusIO.Sink#open}): the stream is buffered, and closing it flushes the
 * bytes but leaves the channel open for its owner to close. The name the format asks for is not
 * used: the caller named the file.
 */
final class ChannelSegmentOutput implements SegmentOutput {
  private final WritableByteChannel channel;
  private boolean created;

  ChannelSegmentOutput(WritableByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public OutputStream create(String relativePath) {
    if (created) {
      throw new IllegalStateException("a channel holds one file; the format asked for a second ("
          + relativePath + ")");
    }
    created = true;
    OutputStream raw = Channels.newOutputStream(channel);
    return new BufferedOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        raw.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        raw.write(b, off, len);
      }

      @Override
      public void close() {
        // the channel is its owner's to close
      }
    }, 1 << 16);
  }
}
