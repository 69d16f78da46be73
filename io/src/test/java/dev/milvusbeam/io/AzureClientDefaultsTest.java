package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Which Azure client the options get. Over https (no TLS emulator here) only the decision is
 * tested; over http the Azurite tests ({@code AzureMilvusIOTest}, the pipelines'
 * {@code AzureCommandsTest}) run it.
 */
class AzureClientDefaultsTest {
  private static final String HTTPS = "DefaultEndpointsProtocol=https;AccountName=acct;"
      + "AccountKey=a2V5;EndpointSuffix=core.windows.net";

  private static Class<? extends BlobstoreClientBuilderFactory> factoryOf(String... flags) {
    PipelineOptionsFactory.register(BlobstoreOptions.class);
    BlobstoreOptions o = PipelineOptionsFactory.fromArgs(flags).as(BlobstoreOptions.class);
    return AzureClientDefaults.apply(o).getBlobstoreClientFactoryClass();
  }

  @Test
  void aConnectionStringAloneGetsTheClientThatUsesOnlyIt() {
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        factoryOf("--azureConnectionString=" + HTTPS));
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        factoryOf("--azureConnectionString=UseDevelopmentStorage=true"));
  }

  @Test
  void anEndpointWithAKeyOrSasGetsItToo() {
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        factoryOf("--blobServiceEndpoint=https://acct.blob.core.windows.net",
            "--accountName=acct", "--accessKey=a2V5"));
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        factoryOf("--blobServiceEndpoint=https://acct.blob.core.windows.net",
            "--sasToken=?sv=2024&sig=x"));
  }

  @Test
  void anExplicitFactoryIsKept() {
    assertEquals(OtherFactory.class, factoryOf("--azureConnectionString=" + HTTPS,
        "--blobstoreClientFactoryClass=" + OtherFactory.class.getName()));
  }

  @Test
  void withoutACredentialBeamsDefaultStays() {
    assertEquals(DefaultBlobstoreClientBuilderFactory.class, factoryOf());
    assertEquals(DefaultBlobstoreClientBuilderFactory.class,
        factoryOf("--blobServiceEndpoint=https://acct.blob.core.windows.net")); // Azure AD
  }

  @Test
  void anAzureConnectParamKeepsAnExplicitFactory() {
    PipelineOptionsFactory.register(BlobstoreOptions.class);
    BlobstoreOptions o = PipelineOptionsFactory.fromArgs(
        "--blobstoreClientFactoryClass=" + OtherFactory.class.getName()).as(BlobstoreOptions.class);
    AzureConnectParam.ofConnectionString(HTTPS, "c1c").applyTo(o);
    assertEquals(OtherFactory.class, o.getBlobstoreClientFactoryClass());
    BlobstoreOptions plain = PipelineOptionsFactory.create().as(BlobstoreOptions.class);
    AzureConnectParam.ofConnectionString(HTTPS, "c1c").applyTo(plain);
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        plain.getBlobstoreClientFactoryClass());
  }

  /** A user's own client factory. */
  public static class OtherFactory extends ConnectionStringBlobstoreClientBuilderFactory {}
}
