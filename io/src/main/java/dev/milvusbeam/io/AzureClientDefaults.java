package dev.milvusbeam.io;

import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The one place that picks the Azure Blob Storage client of Beam's {@code azfs://} file system.
 *
 * <p>Beam's {@link DefaultBlobstoreClientBuilderFactory} adds an Azure AD bearer token to every
 * client, also next to a connection string; the service and its emulators refuse a bearer token
 * over plain {@code http} ("Using a(n) bearer token requires https"), and over https the token
 * needs an Azure AD login the user did not ask for. So when the options carry a credential that
 * is enough by itself (a connection string, or {@code --accessKey} / {@code --sasToken}) and the
 * client factory is still Beam's default, this sets
 * {@link ConnectionStringBlobstoreClientBuilderFactory}, which uses only that credential. Any other
 * {@code --blobstoreClientFactoryClass} is left as it is (the flag stays for overrides); without a
 * credential (Azure AD through {@code --azureCredentialsProvider}) Beam's default stays.
 *
 * <p>Called where options are read: the command line's option parsing,
 * {@link AzureConnectParam#applyTo} and {@link MilvusIO.Write} (expand and validate).
 */
public final class AzureClientDefaults {
  private AzureClientDefaults() {}

  /** Sets the client factory in place (see the class comment); returns the same options. */
  public static <T extends PipelineOptions> T apply(T options) {
    BlobstoreOptions b = options.as(BlobstoreOptions.class);
    if (hasOwnCredential(b)) {
      useOwnClientUnlessOverridden(b);
    }
    return options;
  }

  /**
   * Our client, unless {@code --blobstoreClientFactoryClass} names another than Beam's default
   * ({@link AzureConnectParam#applyTo}, whose credential is always one our client uses).
   */
  static void useOwnClientUnlessOverridden(BlobstoreOptions b) {
    Class<?> factory = b.getBlobstoreClientFactoryClass();
    if (factory == null || factory == DefaultBlobstoreClientBuilderFactory.class) {
      b.setBlobstoreClientFactoryClass(ConnectionStringBlobstoreClientBuilderFactory.class);
    }
  }

  /** A connection string, or an endpoint with an account key or SAS token. */
  static boolean hasOwnCredential(BlobstoreOptions b) {
    return present(b.getAzureConnectionString()) || present(b.getBlobServiceEndpoint())
        && (present(b.getAccessKey()) || present(b.getSasToken()));
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
