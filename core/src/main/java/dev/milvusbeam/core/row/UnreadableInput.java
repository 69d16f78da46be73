package dev.milvusbeam.core.row;

import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one decision whether a failure to read an input file means the file's bytes are damaged
 * (a Parquet file without its footer, a gzip stream cut short, text that is not UTF-8), or that
 * reading itself failed (the network, the store, permissions, an interrupt).
 *
 * <p>Damaged data is recorded as one failure with rule {@link Rule#UNREADABLE_INPUT} and the
 * other files are converted; reading again would not help. A failure of reading is not the file's
 * fault: it is left to fail the step, so the runner retries it or the job fails, and no row is
 * silently lost. The decision looks at the whole cause chain: any transport or store error in it
 * (java.net, a closed channel, a missing or forbidden file, an interrupt, or an exception of a
 * cloud storage or HTTP client library) makes it a failure of reading; anything else thrown while
 * decoding the bytes is damage.
 */
public final class UnreadableInput {
  /** Exceptions from these packages come from the store or the transport, never from the bytes. */
  private static final String[] CLIENT_PACKAGES = {
      "software.amazon.", "com.amazonaws.", "com.azure.", "com.google.api.", "com.google.cloud.",
      "org.apache.http.", "org.apache.hc.", "io.netty.", "reactor.", "javax.net.ssl."};

  private UnreadableInput() {}

  /** True when {@code t} says the file's bytes cannot be decoded (not that reading failed). */
  public static boolean isDamagedData(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (isReadFailure(c)) {
        return false;
      }
    }
    return t != null && !(t instanceof Error);
  }

  private static boolean isReadFailure(Throwable c) {
    if (c instanceof InterruptedIOException // SocketTimeoutException too
        || c instanceof InterruptedException || c instanceof SocketException
        || c instanceof UnknownHostException || c instanceof ClosedChannelException
        || c instanceof FileNotFoundException || c instanceof NoSuchFileException
        || c instanceof AccessDeniedException) {
      return true;
    }
    String name = c.getClass().getName();
    for (String p : CLIENT_PACKAGES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The violation of an unreadable file, for a person: what could not be read, and why.
   *
   * @param cause the exception, or null when {@code what} says it all
   */
  public static Violation violation(String what, Throwable cause) {
    return new Violation(null, Rule.UNREADABLE_INPUT,
        cause == null ? what : what + ": " + reason(cause), null, null);
  }

  /** The deepest message of the cause chain, with its type when that says more. */
  static String reason(Throwable t) {
    Throwable root = t;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        root = c;
      }
    }
    String type = root.getClass().getSimpleName();
    String msg = root.getMessage();
    return msg == null || msg.isBlank() ? type : type + ": " + msg;
  }
}
