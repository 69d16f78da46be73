package dev.milvusbeam.io;

import com.azure.storage.blob.BlobServiceClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * pymilvus' {@code AzureConnectParam}: an Azure Blob Storage container, reached with a connection
 * string, or with an account URL and a credential (account key or SAS token).
 *
 * <pre>{@code
 * ConnectParam conn = AzureConnectParam.ofConnectionString(
 *     "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=...;EndpointSuffix=core.windows.net",
 *     "my-container");
 * // or AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net", accountKeyOrSas, "my-container")
 * try (RemoteBulkWriter w = new RemoteBulkWriter(schema, "imports", conn, FileType.PARQUET)) { ... }
 * }</pre>
 *
 * <p>Beam paths are {@code azfs://<account>/<container>/<path>}; Beam's {@code azfs} file system
 * ignores the account part of a path and sends every request to the endpoint of the options
 * (for Azurite {@code http://127.0.0.1:10000/devstoreaccount1}).
 *
 * <p>The container must exist: neither Beam nor the writers create containers; a missing one fails
 * the first write with a message naming it ({@link #checkAccess()} checks it up front). Secrets
 * never appear in {@link #toString()} or in error messages; they do travel in the pipeline options
 * ({@code azureConnectionString}, {@code sasToken}), as every Beam file-system credential does.
 */
public final class AzureConnectParam implements ConnectParam {
  private static final long serialVersionUID = 1L;
  /** Azurite's and the storage emulator's well-known account. */
  public static final String DEV_ACCOUNT = "devstoreaccount1";
  private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?:-?[a-z0-9]){2,62}|\\$root");
  private static final Pattern IP = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]");

  private final String connectionString; // null: account URL + credential (or Azure AD)
  private final String endpoint; // account URL, without a query (null with UseDevelopmentStorage)
  private final String accountKey;
  private final String sasToken; // without '?'
  private final String account;
  private final String container;

  private AzureConnectParam(String connectionString, String endpoint, String accountKey,
      String sasToken, String account, String container) {
    this.connectionString = connectionString;
    this.endpoint = endpoint;
    this.accountKey = accountKey;
    this.sasToken = sasToken;
    this.account = account;
    this.container = checkContainer(container);
  }

  /**
   * {@code AzureConnectParam(conn_str=..., container_name=...)}: a storage connection string
   * ({@code AccountName=...;AccountKey=...}, {@code BlobEndpoint=...;SharedAccessSignature=...} or
   * {@code UseDevelopmentStorage=true}).
   */
  public static AzureConnectParam ofConnectionString(String connectionString, String container) {
    if (connectionString == null || connectionString.isBlank()) {
      throw new IllegalArgumentException("AzureConnectParam: the connection string is empty");
    }
    Map<String, String> cs = parseConnectionString(connectionString);
    String endpoint = cs.get("blobendpoint");
    String sas = cs.get("sharedaccesssignature");
    if (cs.get("accountkey") == null && sas == null
        && !"true".equalsIgnoreCase(cs.get("usedevelopmentstorage"))) {
      throw new IllegalArgumentException("AzureConnectParam: the connection string has neither"
          + " AccountKey nor SharedAccessSignature (keys found: " + cs.keySet() + ")");
    }
    return new AzureConnectParam(connectionString.trim(), endpoint == null ? null : stripQuery(endpoint),
        null, sas == null ? null : sas.replaceFirst("^\\?", ""),
        accountOfConnectionString(connectionString), container);
  }

  /**
   * {@code AzureConnectParam(account_url=..., credential=..., container_name=...)}: the account's
   * blob endpoint ({@code https://<account>.blob.core.windows.net}, or path-style
   * {@code http://127.0.0.1:10000/devstoreaccount1}) and its account key or a SAS token (one
   * containing {@code sig=}). A SAS may also come as the URL's query. Without any credential the
   * client uses Beam's {@code --azureCredentialsProvider} (Azure AD, https only).
   */
  public static AzureConnectParam ofAccountUrl(String accountUrl, String credential,
      String container) {
    if (accountUrl == null || accountUrl.isBlank()) {
      throw new IllegalArgumentException("AzureConnectParam: the account URL is empty");
    }
    String url = accountUrl.trim();
    String query = null;
    int q = url.indexOf('?');
    if (q >= 0) {
      query = url.substring(q + 1);
      url = url.substring(0, q);
    }
    url = url.replaceAll("/+$", "");
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || u.getHost() == null
          || !(u.getScheme().equalsIgnoreCase("https") || u.getScheme().equalsIgnoreCase("http"))) {
        throw new IllegalArgumentException("AzureConnectParam: the account URL '" + url
            + "' is not an http(s) URL like https://<account>.blob.core.windows.net");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("AzureConnectParam: bad account URL '" + url + "'", e);
    }
    String cred = credential == null || credential.isBlank() ? null : credential.trim();
    String key = null;
    String sas = null;
    if (cred != null && isSas(cred)) {
      sas = cred.replaceFirst("^\\?", "");
    } else if (cred != null) {
      key = cred;
    } else if (query != null && isSas(query)) {
      sas = query;
    }
    return new AzureConnectParam(null, url, key, sas, accountOfUrl(url), container);
  }

  private static boolean isSas(String s) {
    return s.contains("sig=");
  }

  /**
   * Sets Beam's {@link BlobstoreOptions} and the client factory that uses only this credential
   * (unless the options already name another than Beam's default: {@link AzureClientDefaults}).
   */
  @Override
  public void applyTo(PipelineOptions options) {
    BlobstoreOptions b = options.as(BlobstoreOptions.class);
    AzureClientDefaults.useOwnClientUnlessOverridden(b);
    String cs = effectiveConnectionString();
    b.setAzureConnectionString(cs);
    b.setBlobServiceEndpoint(cs == null ? endpoint : null);
    b.setAccountName(account);
    b.setAccessKey(null);
    // Beam's rename (copy + delete) appends the SAS to the copy source URL; with a key it
    // generates one from the connection string itself
    b.setSasToken(sasToken == null || accountKey != null || hasKeyInConnectionString()
        ? null : "?" + sasToken);
  }

  /** The connection string the client uses: the user's, or one built from URL and credential. */
  private String effectiveConnectionString() {
    if (connectionString != null) {
      return connectionString;
    }
    String scheme = endpoint.substring(0, endpoint.indexOf(':')).toLowerCase(Locale.ROOT);
    if (accountKey != null) {
      return "DefaultEndpointsProtocol=" + scheme + ";AccountName=" + account + ";AccountKey="
          + accountKey + ";BlobEndpoint=" + endpoint + ";";
    }
    if (sasToken != null) {
      return "BlobEndpoint=" + endpoint + ";SharedAccessSignature=" + sasToken + ";";
    }
    return null; // Azure AD through --azureCredentialsProvider and --blobServiceEndpoint
  }

  private boolean hasKeyInConnectionString() {
    return connectionString != null
        && parseConnectionString(connectionString).get("accountkey") != null;
  }

  @Override
  public String toBeamPath(String pathInBucket) {
    String p = pathInBucket == null ? "" : pathInBucket.replaceFirst("^/+", "");
    return "azfs://" + account + "/" + container + "/" + p;
  }

  @Override
  public String bucket() {
    return container;
  }

  public String container() {
    return container;
  }

  /** The storage account name (from AccountName, the blob endpoint or the account URL). */
  public String account() {
    return account;
  }

  /**
   * Checks up front that the container exists and the credential is accepted.
   *
   * @throws ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException naming the
   *     container and the cause, when not
   */
  public void checkAccess() {
    PipelineOptions o = PipelineOptionsFactory.create();
    applyTo(o);
    BlobServiceClient client = new ConnectionStringBlobstoreClientBuilderFactory()
        .createBuilder(o.as(BlobstoreOptions.class)).buildClient();
    if (!client.getBlobContainerClient(container).exists()) { // the policy names 404s already
      throw new ConnectionStringBlobstoreClientBuilderFactory.AzureAccessException(
          "Azure Blob Storage: the container '" + container + "' does not exist in storage"
              + " account '" + account + "'", 404, container);
    }
  }

  @Override
  public void checkWritable(String pathInBucket) {
    checkAccess();
  }

  /** Never shows the account key or SAS token. */
  @Override
  public String toString() {
    String auth;
    if (connectionString != null) {
      Map<String, String> cs = parseConnectionString(connectionString);
      auth = cs.get("accountkey") != null ? "connection string with account key"
          : cs.get("sharedaccesssignature") != null ? "connection string with SAS token"
          : "development storage";
    } else {
      auth = accountKey != null ? "account key" : sasToken != null ? "SAS token"
          : "Azure AD (azureCredentialsProvider)";
    }
    return "AzureConnectParam{account=" + account + ", container=" + container
        + (endpoint == null ? "" : ", endpoint=" + endpoint) + ", credential=" + auth
        + " (hidden)}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AzureConnectParam)) {
      return false;
    }
    AzureConnectParam a = (AzureConnectParam) o;
    return Objects.equals(connectionString, a.connectionString)
        && Objects.equals(endpoint, a.endpoint) && Objects.equals(accountKey, a.accountKey)
        && Objects.equals(sasToken, a.sasToken) && container.equals(a.container);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connectionString, endpoint, container);
  }

  // ---- parsing, shared with the client factory ----

  /** Keys lower-cased; a value may contain '=' (base64 keys, SAS tokens). */
  static Map<String, String> parseConnectionString(String cs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : cs.split(";")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("AzureConnectParam: the connection string has a part"
            + " without '=' (not shown)");
      }
      m.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
    }
    return m;
  }

  /** AccountName, else the account of BlobEndpoint; {@value #DEV_ACCOUNT} for development storage. */
  static String accountOfConnectionString(String connectionString) {
    Map<String, String> cs = parseConnectionString(connectionString);
    if (cs.get("accountname") != null) {
      return cs.get("accountname");
    }
    if (cs.get("blobendpoint") != null) {
      return accountOfUrl(cs.get("blobendpoint"));
    }
    if ("true".equalsIgnoreCase(cs.get("usedevelopmentstorage"))) {
      return DEV_ACCOUNT;
    }
    throw new IllegalArgumentException("AzureConnectParam: the connection string names no"
        + " account (AccountName or BlobEndpoint)");
  }

  /**
   * The account of a blob endpoint: the first label of {@code <account>.blob.core.windows.net},
   * or the first path segment of a path-style URL (IP address, {@code localhost} or a one-label
   * host such as a container name, as with Azurite).
   */
  static String accountOfUrl(String url) {
    URI u;
    try {
      u = new URI(stripQuery(url));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("AzureConnectParam: bad account URL '" + stripQuery(url)
          + "'", e);
    }
    String host = u.getHost();
    if (host == null) {
      throw new IllegalArgumentException("AzureConnectParam: no host in '" + stripQuery(url) + "'");
    }
    String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/+", "");
    if (isPathStyle(host)) {
      String first = path.split("/")[0];
      if (first.isEmpty()) {
        throw new IllegalArgumentException("AzureConnectParam: the path-style URL '"
            + stripQuery(url) + "' names no account (e.g. http://127.0.0.1:10000/devstoreaccount1)");
      }
      return first;
    }
    return host.substring(0, host.indexOf('.'));
  }

  static boolean isPathStyle(String host) {
    return host == null || IP.matcher(host).matches() || host.equalsIgnoreCase("localhost")
        || host.indexOf('.') < 0;
  }

  private static String stripQuery(String url) {
    int q = url.indexOf('?');
    return (q < 0 ? url : url.substring(0, q)).trim().replaceAll("/+$", "");
  }

  private static String checkContainer(String container) {
    if (container == null || !CONTAINER_NAME.matcher(container).matches()) {
      throw new IllegalArgumentException("AzureConnectParam: bad container name '" + container
          + "' (3-63 lower-case letters, digits and single hyphens, starting and ending with a"
          + " letter or digit)");
    }
    return container;
  }
}
