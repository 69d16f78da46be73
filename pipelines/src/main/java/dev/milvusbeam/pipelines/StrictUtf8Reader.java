package dev.milvusbeam.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 text that must be UTF-8: every character before a malformed byte sequence is returned,
 * then the next read throws a {@link MalformedInputException} naming the byte's offset. (An
 * {@code InputStreamReader} with a reporting decoder throws as soon as it decodes ahead into the
 * bad bytes, losing the good text before them; a replacing one turns them into U+FFFD.)
 */
final class StrictUtf8Reader extends Reader {
  private final InputStream in;
  private final long firstOffset;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip(); // read mode, empty
  private long consumed; // bytes taken from in
  private boolean eof;
  private boolean flushed;
  private MalformedInputException pending;

  /** @param firstOffset the offset of {@code in}'s first byte in its file, for the message */
  StrictUtf8Reader(InputStream in, long firstOffset) {
    this.in = in;
    this.firstOffset = firstOffset;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (out.position() == off) {
      if (pending != null) {
        throw pending;
      }
      if (flushed) {
        return -1;
      }
      CoderResult r = decoder.decode(bytes, out, eof);
      if (r.isError()) {
        long at = firstOffset + consumed - bytes.remaining();
        int length = r.length();
        pending = new MalformedInputException(length) {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            return "not UTF-8: a malformed byte sequence at byte " + at;
          }
        };
      } else if (r.isOverflow()) {
        break;
      } else if (eof) {
        decoder.flush(out);
        flushed = true;
      } else {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
          eof = true;
        } else {
          bytes.position(bytes.position() + n);
          consumed += n;
        }
        bytes.flip();
      }
    }
    return out.position() - off;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
