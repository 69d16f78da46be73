package dev.milvusbeam.io;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Azure Blob Storage client of Beam's {@code azfs://} file system, authenticated by exactly
 * one credential: Beam's {@code DefaultBlobstoreClientBuilderFactory} always adds an Azure AD
 * bearer token as well, which the service (and Azurite) refuse over plain {@code http}.
 *
 * <p>Credentials, in this order: {@code --azureConnectionString} (account key or SAS inside it);
 * {@code --blobServiceEndpoint} with {@code --accountName} and {@code --accessKey}, or with
 * {@code --sasToken}; else {@code --blobServiceEndpoint} with Beam's
 * {@code --azureCredentialsProvider} (Azure AD, https only). {@link AzureClientDefaults} picks it
 * whenever the options carry a key, SAS or connection string (command line, {@link
 * AzureConnectParam#applyTo}, {@link MilvusIO}); {@code --blobstoreClientFactoryClass} overrides.
 *
 * <p>Transient faults (5xx, throttling, timeouts, connection resets) are retried with exponential
 * backoff ({@link Options#getAzureMaxTries()}). Permanent ones fail with an
 * {@link AzureAccessException} naming the account and container: a missing container (Beam never
 * creates containers) and refused credentials (401/403). No message contains a key or SAS.
 * Deleting a blob that is already gone succeeds (a delete retried after a lost response).
 */
public class ConnectionStringBlobstoreClientBuilderFactory implements BlobstoreClientBuilderFactory {
  /** Default attempts of one request (the first try included). */
  public static final int DEFAULT_MAX_TRIES = 6;

  /** The retry setting of the Azure client. */
  public interface Options extends BlobstoreOptions {
    @Description("Attempts of one Azure Blob Storage request (first try included) on transient"
        + " faults (5xx, throttling, timeouts, connection resets), with exponential backoff from 1 s"
        + " up to 30 s; permanent faults (401, 403, 404) are never retried. Used by"
        + " dev.milvusbeam.io.ConnectionStringBlobstoreClientBuilderFactory.")
    @Default.Integer(DEFAULT_MAX_TRIES)
    int getAzureMaxTries();

    void setAzureMaxTries(int tries);
  }

  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
    String connectionString = options.getAzureConnectionString();
    String endpoint = options.getBlobServiceEndpoint();
    String account;
    if (!isEmpty(connectionString)) {
      builder.connectionString(connectionString);
      account = AzureConnectParam.accountOfConnectionString(connectionString);
    } else if (!isEmpty(endpoint)) {
      builder.endpoint(endpoint);
      account = isEmpty(options.getAccountName())
          ? AzureConnectParam.accountOfUrl(endpoint) : options.getAccountName();
      if (!isEmpty(options.getAccessKey())) {
        builder.credential(new StorageSharedKeyCredential(account, options.getAccessKey()));
      } else if (!isEmpty(options.getSasToken())) {
        builder.sasToken(options.getSasToken().replaceFirst("^\\?", ""));
      } else {
        builder.credential(options.getAzureCredentialsProvider()); // Azure AD: https only
      }
    } else {
      throw new IllegalArgumentException("Azure Blob Storage: set --azureConnectionString, or"
          + " --blobServiceEndpoint with --accountName and --accessKey, or with --sasToken");
    }
    if (options.getCustomerProvidedKey() != null) {
      builder.customerProvidedKey(options.getCustomerProvidedKey());
    }
    if (options.getHttpClient() != null) {
      builder.httpClient(options.getHttpClient());
    }
    if (options.getPipelinePolicy() != null) {
      builder.addPolicy(options.getPipelinePolicy());
    }
    int tries = Math.max(1, options.as(Options.class).getAzureMaxTries());
    builder.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, tries, null,
        1000L, 30_000L, null));
    builder.addPolicy(new PermanentFaultPolicy(account));
    builder.addPolicy(new AttemptCounter());
    return builder;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** A permanent Azure fault: missing container, refused credentials. Never holds a secret. */
  public static final class AzureAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int statusCode;
    private final String container;

    AzureAccessException(String message, int statusCode, String container) {
      super(message);
      this.statusCode = statusCode;
      this.container = container;
    }

    /** The HTTP status the service answered (401, 403, 404). */
    public int statusCode() {
      return statusCode;
    }

    /** The container of the refused request, or null for an account-level request. */
    public String container() {
      return container;
    }
  }

  /** Counts the tries of one request (a per-retry policy), for {@link PermanentFaultPolicy}. */
  static final class AttemptCounter extends HttpPipelineSyncPolicy {
    static final String KEY = "milvus-bulkwriter.attempt";

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_RETRY;
    }

    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
      context.setData(KEY, ((Integer) context.getData(KEY).orElse(0)) + 1);
    }
  }

  /**
   * Turns the final answer (after retries) to a request into an {@link AzureAccessException} when
   * it is permanent and about the container or the credentials, and a 404 to a blob delete into
   * success; everything else (a missing blob on read, a 409 ...) is left to the SDK and Beam.
   */
  static final class PermanentFaultPolicy extends HttpPipelineSyncPolicy {
    private final String account;

    PermanentFaultPolicy(String account) {
      this.account = account;
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_CALL; // outside the retry policy: sees the final answer
    }

    @Override
    protected HttpResponse afterReceivedResponse(HttpPipelineCallContext context,
        HttpResponse response) {
      int status = response.getStatusCode();
      if (status == 409 && "BlobAlreadyExists".equals(response.getHeaderValue("x-ms-error-code"))
          && context.getHttpRequest().getHttpMethod() == HttpMethod.PUT
          && ((Integer) context.getData(AttemptCounter.KEY).orElse(1)) > 1) {
        // a create (If-None-Match: *) retried after its first answer was lost: the first try
        // wrote the blob. Every path this library creates is unique to one writer attempt, so
        // the blob that exists is ours.
        response.close();
        return new AlreadyDeleted(context.getHttpRequest(), response.getHeaders(), 201);
      }
      if (status != 401 && status != 403 && status != 404) {
        return response;
      }
      URL url = context.getHttpRequest().getUrl();
      String code = response.getHeaderValue("x-ms-error-code");
      String query = url.getQuery() == null ? "" : url.getQuery();
      boolean containerRequest = query.contains("restype=container");
      String container = containerOf(url);
      String what = container == null ? "storage account '" + account + "'"
          : "container '" + container + "' in storage account '" + account + "'";
      String cause = "HTTP " + status + (code == null ? "" : " " + code);
      String message;
      if (status == 404) {
        if ("BlobNotFound".equals(code) && !containerRequest
            && context.getHttpRequest().getHttpMethod() == HttpMethod.DELETE) {
          // the blob is gone: what a delete wants. Beam checks exists() before each delete, so
          // this is a delete retried after its first response was lost (or a concurrent one)
          response.close();
          return new AlreadyDeleted(context.getHttpRequest(), response.getHeaders(), 202);
        }
        if (!"ContainerNotFound".equals(code) && !(code == null && containerRequest)) {
          return response; // a missing blob: normal (exists(), match)
        }
        message = "Azure Blob Storage: the container '" + container + "' does not exist in"
            + " storage account '" + account + "' (" + cause + "). Neither Beam nor this writer"
            + " creates containers: create it first, e.g. az storage container create --name "
            + container;
      } else {
        message = "Azure Blob Storage refused access to " + what + " (" + cause + "): check the"
            + " account key, SAS token or connection string (and, for a SAS, its permissions"
            + " racwdl and expiry); the credential is not shown";
      }
      response.close();
      throw new AzureAccessException(message, status, container);
    }

    /** The answer of a successful Delete Blob (202) or Put Blob / Put Block List (201), no body. */
    private static final class AlreadyDeleted extends HttpResponse {
      private final HttpHeaders headers = new HttpHeaders();

      private final int status;

      AlreadyDeleted(HttpRequest request, HttpHeaders original, int status) {
        super(request);
        this.status = status;
        for (String h : new String[] {"x-ms-request-id", "x-ms-version", "Date"}) {
          String v = original.getValue(h);
          if (v != null) {
            headers.set(h, v);
          }
        }
        headers.set("Content-Length", "0");
      }

      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      public String getHeaderValue(String name) {
        return headers.getValue(name);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }

      @Override
      public Flux<ByteBuffer> getBody() {
        return Flux.empty();
      }

      @Override
      public Mono<byte[]> getBodyAsByteArray() {
        return Mono.just(new byte[0]);
      }

      @Override
      public Mono<String> getBodyAsString() {
        return Mono.just("");
      }

      @Override
      public Mono<String> getBodyAsString(Charset charset) {
        return Mono.just("");
      }
    }

    /** The container of a request URL: {@code host/container/blob} or, path-style, {@code host/account/container/blob}. */
    private String containerOf(URL url) {
      String path = url.getPath();
      String[] parts = path.replaceFirst("^/+", "").split("/");
      int i = 0;
      if (AzureConnectParam.isPathStyle(url.getHost()) && parts.length > 0
          && parts[0].equals(account)) {
        i = 1;
      }
      return i < parts.length && !parts[i].isEmpty() ? parts[i] : null;
    }
  }
}
