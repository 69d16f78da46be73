package dev.milvusbeam.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 proxy for tests, on 127.0.0.1, between an S3 client and an S3 server, that
 * fails some requests as a {@link Policy} says: 503 Slow Down, 500 Internal Error, 403 Access
 * Denied, a connection reset before the request reaches the server, or after the server has
 * executed it (the response is lost). Requests are passed on byte for byte (the client's
 * signature covers the Host header, which stays the proxy's), one request per connection (every
 * response says {@code Connection: close}). Bounded: at most 64 connections are served at once.
 */
final class S3FaultProxy implements AutoCloseable {
  enum Fault { NONE, SLOW_DOWN_503, INTERNAL_500, DENIED_403, RESET_BEFORE, RESET_AFTER }

  /** Decides the fate of the n-th request (1-based). */
  interface Policy {
    Fault decide(long n, String method, String target);
  }

  static final Policy PASS = (n, m, t) -> Fault.NONE;

  /**
   * Every {@code period}-th request fails, cycling through 503, 500, reset before and reset after
   * (the last only for requests that are safe to repeat: not a CompleteMultipartUpload).
   */
  static Policy everyNth(int period) {
    Fault[] cycle = {Fault.SLOW_DOWN_503, Fault.INTERNAL_500, Fault.RESET_BEFORE,
        Fault.RESET_AFTER};
    return (n, method, target) -> {
      if (n % period != 0) {
        return Fault.NONE;
      }
      Fault f = cycle[(int) ((n / period) % cycle.length)];
      if (f == Fault.RESET_AFTER && !repeatable(method, target)) {
        return Fault.SLOW_DOWN_503;
      }
      return f;
    };
  }

  /** Requests whose repetition after success gives the same result. */
  static boolean repeatable(String method, String target) {
    return !(method.equals("POST") && target.contains("uploadId="));
  }

  private final int backendPort;
  private final ServerSocket server;
  private final ExecutorService pool;
  private final Thread acceptor;
  private final AtomicLong requests = new AtomicLong();
  private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
  private volatile Policy policy = PASS;
  private volatile boolean closed;

  S3FaultProxy(int backendPort) throws IOException {
    this.backendPort = backendPort;
    for (Fault f : Fault.values()) {
      counts.put(f, new AtomicLong());
    }
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.pool = Executors.newFixedThreadPool(64, r -> {
      Thread t = new Thread(r, "s3-fault-proxy");
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "s3-fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** Sets the policy and restarts the request count at 0. */
  void policy(Policy p) {
    requests.set(0);
    counts.values().forEach(c -> c.set(0));
    this.policy = p;
  }

  long requests() {
    return requests.get();
  }

  long count(Fault f) {
    return counts.get(f).get();
  }

  long faults() {
    long n = 0;
    for (Fault f : Fault.values()) {
      if (f != Fault.NONE) {
        n += count(f);
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "S3FaultProxy{requests=" + requests.get() + ", " + counts + "}";
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        try {
          pool.execute(() -> handle(s));
        } catch (RejectedExecutionException e) {
          s.close();
        }
      } catch (IOException e) {
        if (!closed) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  private void handle(Socket client) {
    try (Socket c = client) {
      c.setSoTimeout(60_000);
      InputStream cin = new BufferedInputStream(c.getInputStream());
      OutputStream cout = c.getOutputStream();
      byte[] headBytes = readHead(cin);
      if (headBytes == null) {
        return;
      }
      Request req = Request.parse(new String(headBytes, StandardCharsets.ISO_8859_1));
      long n = requests.incrementAndGet();
      Fault f = policy.decide(n, req.method, req.target);
      counts.get(f).incrementAndGet();
      switch (f) {
        case SLOW_DOWN_503:
          reject(req, cin, cout, 503, "Slow Down", "SlowDown", "Please reduce your request rate.");
          return;
        case INTERNAL_500:
          reject(req, cin, cout, 500, "Internal Server Error", "InternalError",
              "We encountered an internal error. Please try again.");
          return;
        case DENIED_403:
          reject(req, cin, cout, 403, "Forbidden", "AccessDenied", "Access Denied");
          return;
        case RESET_BEFORE:
          reset(c);
          return;
        case RESET_AFTER:
          forward(req, cin, new ByteArrayOutputStream(), c);
          reset(c);
          return;
        default:
          forward(req, cin, cout, c);
      }
    } catch (IOException | RuntimeException e) {
      // the client or the server went away: the client sees a broken connection
    }
  }

  private static void reset(Socket c) throws IOException {
    c.setSoLinger(true, 0);
    c.close();
  }

  private void reject(Request req, InputStream cin, OutputStream cout, int status, String reason,
      String code, String message) throws IOException {
    if (!req.expectContinue) {
      copyBody(req, cin, OutputStream.nullOutputStream());
    }
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
        + "</Code><Message>" + message + "</Message><RequestId>fault-proxy</RequestId></Error>")
        .getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: application/xml\r\n"
        + "Content-Length: " + (req.method.equals("HEAD") ? 0 : body.length) + "\r\n"
        + "Connection: close\r\n\r\n";
    cout.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (!req.method.equals("HEAD")) {
      cout.write(body);
    }
    cout.flush();
  }

  /** Sends the request to the server and its response to {@code cout}. */
  private void forward(Request req, InputStream cin, OutputStream cout, Socket c)
      throws IOException {
    try (Socket b = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      b.setSoTimeout(60_000);
      OutputStream bout = b.getOutputStream();
      InputStream bin = new BufferedInputStream(b.getInputStream());
      bout.write(req.headForServer().getBytes(StandardCharsets.ISO_8859_1));
      if (req.expectContinue) {
        c.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        c.getOutputStream().flush();
      }
      try {
        copyBody(req, cin, bout);
        bout.flush();
      } catch (IOException serverStoppedReading) {
        // the server may answer early (e.g. an authentication error): pass its answer on
      }
      byte[] respHead = readHead(bin);
      if (respHead == null) {
        throw new IOException("no response from the server");
      }
      cout.write(withConnectionClose(new String(respHead, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1));
      bin.transferTo(cout);
      cout.flush();
    }
  }

  private static String withConnectionClose(String head) {
    String[] lines = head.split("\r\n");
    StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isEmpty()
          && !lines[i].toLowerCase(Locale.ROOT).startsWith("connection:")) {
        sb.append(lines[i]).append("\r\n");
      }
    }
    return sb.append("Connection: close\r\n\r\n").toString();
  }

  private static void copyBody(Request req, InputStream in, OutputStream out) throws IOException {
    if (req.chunked) {
      while (true) {
        String line = readLine(in);
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int semi = line.indexOf(';');
        long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
        if (size == 0) {
          String trailer;
          do {
            trailer = readLine(in);
            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          } while (!trailer.isEmpty());
          return;
        }
        copyExactly(in, out, size + 2);
      }
    } else if (req.contentLength > 0) {
      copyExactly(in, out, req.contentLength);
    }
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("body ended early");
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int ch = in.read();
      if (ch < 0) {
        throw new IOException("connection closed in a line");
      }
      if (prev == '\r' && ch == '\n') {
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      b.write(ch);
      prev = ch;
      if (b.size() > 16 * 1024) {
        throw new IOException("line too long");
      }
    }
  }

  /** The bytes up to and including the blank line; null at a clean end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    while (true) {
      int ch = in.read();
      if (ch < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new IOException("connection closed in a message head");
      }
      b.write(ch);
      matched = (ch == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (ch == '\r' ? 1 : 0);
      if (matched == 4) {
        return b.toByteArray();
      }
      if (b.size() > 256 * 1024) {
        throw new IOException("message head too long");
      }
    }
  }

  private static final class Request {
    String method;
    String target;
    final List<String> headers = new ArrayList<>();
    long contentLength = -1;
    boolean chunked;
    boolean expectContinue;
    String requestLine;

    static Request parse(String head) throws IOException {
      Request r = new Request();
      String[] lines = head.split("\r\n");
      r.requestLine = lines[0];
      String[] parts = lines[0].split(" ");
      if (parts.length < 3) {
        throw new IOException("bad request line: " + lines[0]);
      }
      r.method = parts[0];
      r.target = parts[1];
      for (int i = 1; i < lines.length; i++) {
        String h = lines[i];
        if (h.isEmpty()) {
          continue;
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = colon < 0 ? "" : h.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          r.contentLength = Long.parseLong(value);
        } else if (name.equals("transfer-encoding")) {
          r.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        } else if (name.equals("expect")) {
          r.expectContinue = value.equalsIgnoreCase("100-continue");
          continue; // answered by the proxy; not part of the signature
        } else if (name.equals("connection")) {
          continue;
        }
        r.headers.add(h);
      }
      return r;
    }

    String headForServer() {
      StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
      headers.forEach(h -> sb.append(h).append("\r\n"));
      return sb.append("Connection: close\r\n\r\n").toString();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
