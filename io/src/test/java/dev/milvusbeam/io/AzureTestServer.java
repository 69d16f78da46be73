package dev.milvusbeam.io;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Azure Blob Storage server for tests: Azurite {@value #VERSION} (npm), started by the test
 * itself, once per test JVM, on 127.0.0.1 and a free port with a temporary {@code --location};
 * stopped when the test run ends. Use with {@code @ExtendWith(AzureTestServer.Extension.class)} and
 * a parameter of type {@link AzureTestServer}.
 *
 * <p>Azurite is installed with {@code npm install azurite@3.37.0} into
 * {@code ~/.cache/milvus-beam-bulkwriter/azurite} (or {@code $AZURITE_HOME}) on first use (about
 * 20 s, needs the npm registry), then reused. Node.js (18+) and npm must be on the PATH: without
 * them the tests FAIL with a message saying so; they never skip. {@code .ci/azurite.sh install}
 * does the same install ahead of the tests.
 */
public final class AzureTestServer implements ExtensionContext.Store.CloseableResource {
  public static final String VERSION = "3.37.0";
  public static final String ACCOUNT = "devstoreaccount1";
  /** The published key of Azurite's development account (not a secret). */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;
  private final Path location;
  private final Path log;
  private final BlobServiceClient client;

  private AzureTestServer(Process process, int port, Path location, Path log) {
    this.process = process;
    this.port = port;
    this.location = location;
    this.log = log;
    this.client = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
  }

  public int port() {
    return port;
  }

  /** The blob endpoint, path-style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  public String connectionString() {
    return connectionString(KEY);
  }

  public String connectionString(String key) {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + key
        + ";BlobEndpoint=" + endpoint() + ";";
  }

  /** Azurite's console output. */
  public Path log() {
    return log;
  }

  /** An independent client (the Azure SDK directly, not Beam). */
  public BlobServiceClient client() {
    return client;
  }

  /** A new, empty container with a unique name. */
  public BlobContainerClient newContainer(String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().replace("-", ""))
        .toLowerCase(Locale.ROOT);
    name = name.substring(0, Math.min(name.length(), 63));
    return client.createBlobContainer(name);
  }

  /** Every blob name in a container, sorted. */
  public static List<String> list(BlobContainerClient container) {
    return container.listBlobs().stream().map(BlobItem::getName).sorted()
        .collect(Collectors.toList());
  }

  /** Downloads every blob under {@code prefix/} into {@code dir}, keeping the relative paths. */
  public static Path download(BlobContainerClient container, String prefix, Path dir)
      throws IOException {
    String p = prefix.endsWith("/") ? prefix : prefix + "/";
    Files.createDirectories(dir);
    int n = 0;
    for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(p), null)) {
      Path target = dir.resolve(b.getName().substring(p.length()));
      Files.createDirectories(target.getParent());
      container.getBlobClient(b.getName()).downloadToFile(target.toString(), true);
      n++;
    }
    if (n == 0) {
      throw new AssertionError("nothing under " + p + " in " + container.getBlobContainerName()
          + ": " + list(container));
    }
    return dir;
  }

  // ---- lifecycle ----

  /** Resolves {@link AzureTestServer} parameters: one server for the whole test run. */
  public static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == AzureTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return e.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(AzureTestServer.class, k -> start(), AzureTestServer.class);
    }
  }

  static synchronized AzureTestServer start() {
    try {
      Path main = install();
      Path work = Files.createDirectories(Paths.get("target", "azurite")).toAbsolutePath();
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken meanwhile
        int port = freePort();
        Path location = Files.createTempDirectory(work, "data-");
        Path log = work.resolve("azurite-" + port + ".log");
        Process p = new ProcessBuilder("node", main.toString(), "--blobHost", "127.0.0.1",
            "--blobPort", String.valueOf(port), "--location", location.toString(),
            "--skipApiVersionCheck", "--loose", "--disableTelemetry")
            .redirectErrorStream(true).redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
          waitForPort(p, port, log);
        } catch (IOException e) {
          last = e;
          p.destroyForcibly();
          continue;
        }
        AzureTestServer s = new AzureTestServer(p, port, location, log);
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        return s;
      }
      throw new IllegalStateException("Azurite did not start", last);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(location);
  }

  private static void waitForPort(Process p, int port, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("Azurite exited with " + p.exitValue() + ": " + tail(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("Azurite did not listen on 127.0.0.1:" + port + " within 60 s: "
        + tail(log));
  }

  /**
   * Installs Azurite into the cache once (a file lock keeps parallel builds apart); returns the
   * blob server's main script.
   */
  static Path install() throws IOException, InterruptedException {
    String home = System.getenv("AZURITE_HOME");
    Path dir = home != null && !home.isBlank() ? Paths.get(home)
        : Paths.get(System.getProperty("user.home"), ".cache", "milvus-beam-bulkwriter", "azurite");
    Path main = dir.resolve("node_modules/azurite/dist/src/blob/main.js");
    Path marker = dir.resolve(".installed-" + VERSION);
    requireTool("node", "Node.js 18+ (20 recommended)");
    if (Files.exists(main) && (Files.exists(marker) || home != null)) {
      return main;
    }
    requireTool("npm", "npm");
    Files.createDirectories(dir);
    try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (Files.exists(marker) && Files.exists(main)) {
        return main;
      }
      long t0 = System.nanoTime();
      ConformanceChecker.Result r = ConformanceChecker.exec(List.of("npm", "install",
          "--prefix", dir.toString(), "--no-audit", "--no-fund", "--loglevel=error",
          "azurite@" + VERSION), 600);
      if (r.exit != 0 || !Files.exists(main)) {
        throw new AssertionError("installing Azurite failed: npm install --prefix " + dir
            + " azurite@" + VERSION + " (the npm registry must be reachable once)\n" + r);
      }
      Files.writeString(marker, "npm install azurite@" + VERSION + " took "
          + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s\n",
          StandardCharsets.UTF_8);
      return main;
    }
  }

  private static void requireTool(String tool, String what) throws InterruptedException {
    ConformanceChecker.Result r;
    try {
      r = ConformanceChecker.exec(List.of(tool, "--version"), 60);
    } catch (IOException e) {
      r = null;
    }
    if (r == null || r.exit != 0) {
      throw new AssertionError("the Azure tests run Azurite " + VERSION + " from npm and need "
          + what + " on the PATH ('" + tool + " --version' failed); install Node.js 20 and npm"
          + " (e.g. apt-get install nodejs npm), or set AZURITE_HOME to a folder with"
          + " node_modules/azurite installed");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> paths = s.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path p : new ArrayList<>(paths)) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort
    }
  }
}
