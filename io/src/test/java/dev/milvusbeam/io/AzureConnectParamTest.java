package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** AzureConnectParam without a server: parsing, Beam paths, options, no secret in toString. */
class AzureConnectParamTest {
  static final String KEY = "c2VjcmV0LWtleS1ub3QtdG8tYmUtc2hvd24tYW55d2hlcmUtMTIzNDU2Nzg5MA==";
  static final String SAS = "sv=2021-08-06&ss=b&srt=sco&sp=racwdl&se=2099-01-01T00:00:00Z"
      + "&sig=SeCrEtSiGnAtUrE%2Bxyz%3D";
  static final String AZURE_CS = "DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey="
      + KEY + ";EndpointSuffix=core.windows.net";

  @Test
  void connectionStringGivesAccountAndBeamPaths() {
    AzureConnectParam c = AzureConnectParam.ofConnectionString(AZURE_CS, "my-container");
    assertEquals("myacct", c.account());
    assertEquals("my-container", c.bucket());
    assertEquals("azfs://myacct/my-container/a/b", c.toBeamPath("a/b"));
    assertEquals("azfs://myacct/my-container/a/b", c.toBeamPath("/a/b"));
    assertEquals("azfs://myacct/my-container/", c.toBeamPath(""));
  }

  @Test
  void azuriteStyleConnectionStringAndUrls() {
    String cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
        + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
    assertEquals("devstoreaccount1", AzureConnectParam.ofConnectionString(cs, "c01").account());
    assertEquals("devstoreaccount1", AzureConnectParam.ofConnectionString(
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=" + SAS,
        "c01").account());
    assertEquals("devstoreaccount1", AzureConnectParam.ofConnectionString(
        "UseDevelopmentStorage=true", "c01").account());
    assertEquals("devstoreaccount1",
        AzureConnectParam.accountOfUrl("http://localhost:10000/devstoreaccount1/"));
    assertEquals("devstoreaccount1",
        AzureConnectParam.accountOfUrl("http://azurite:10000/devstoreaccount1"));
    assertEquals("acct", AzureConnectParam.accountOfUrl("https://acct.blob.core.windows.net/"));
    assertEquals("acct", AzureConnectParam.accountOfUrl("https://acct.blob.core.windows.net?" + SAS));
  }

  @Test
  void toStringNeverShowsTheKeyOrSas() throws Exception {
    AzureConnectParam[] all = {
        AzureConnectParam.ofConnectionString(AZURE_CS, "c01"),
        AzureConnectParam.ofConnectionString(
            "BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=" + SAS, "c01"),
        AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net", KEY, "c01"),
        AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net", SAS, "c01"),
        AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net", "?" + SAS, "c01"),
        AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net?" + SAS, null, "c01"),
    };
    for (AzureConnectParam c : all) {
      String s = c.toString();
      assertFalse(s.contains(KEY) || s.contains(KEY.substring(0, 12)), s);
      assertFalse(s.contains("sig=") || s.contains("SeCrEt"), s);
      assertTrue(s.contains("c01") && s.contains("hidden"), s);
      assertEquals(c, SerializableUtils.ensureSerializable(c));
    }
    assertTrue(all[2].toString().contains("account key"), all[2].toString());
    assertTrue(all[5].toString().contains("SAS"), all[5].toString());
  }

  @Test
  void applyToSetsTheConnectionStringAndTheKeyOnlyFactory() {
    PipelineOptions o = PipelineOptionsFactory.create();
    AzureConnectParam.ofConnectionString(AZURE_CS, "c01").applyTo(o);
    BlobstoreOptions b = o.as(BlobstoreOptions.class);
    assertEquals(ConnectionStringBlobstoreClientBuilderFactory.class,
        b.getBlobstoreClientFactoryClass());
    assertEquals(AZURE_CS, b.getAzureConnectionString());
    assertNull(b.getSasToken());

    PipelineOptions u = PipelineOptionsFactory.create();
    AzureConnectParam.ofAccountUrl("http://127.0.0.1:10000/devstoreaccount1", KEY, "c01")
        .applyTo(u);
    String cs = u.as(BlobstoreOptions.class).getAzureConnectionString();
    assertTrue(cs.contains("AccountName=devstoreaccount1;AccountKey=" + KEY), cs);
    assertTrue(cs.contains("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1"), cs);
    assertTrue(cs.startsWith("DefaultEndpointsProtocol=http;"), cs);

    PipelineOptions s = PipelineOptionsFactory.create();
    AzureConnectParam.ofAccountUrl("https://acct.blob.core.windows.net", SAS, "c01").applyTo(s);
    assertEquals("?" + SAS, s.as(BlobstoreOptions.class).getSasToken()); // Beam's copy appends it
    // the factory builds a client from each, without any bearer token
    for (PipelineOptions x : new PipelineOptions[] {o, u, s}) {
      new ConnectionStringBlobstoreClientBuilderFactory()
          .createBuilder(x.as(BlobstoreOptions.class)).buildClient();
    }
  }

  @Test
  void badSettingsAreNamedWithoutSecrets() {
    IllegalArgumentException noCred = assertThrows(IllegalArgumentException.class,
        () -> AzureConnectParam.ofConnectionString("AccountName=a;EndpointSuffix=x", "c01"));
    assertTrue(noCred.getMessage().contains("AccountKey"), noCred.getMessage());
    IllegalArgumentException badContainer = assertThrows(IllegalArgumentException.class,
        () -> AzureConnectParam.ofConnectionString(AZURE_CS, "Bad_Container"));
    assertTrue(badContainer.getMessage().contains("Bad_Container"));
    assertFalse(badContainer.getMessage().contains(KEY));
    IllegalArgumentException badPart = assertThrows(IllegalArgumentException.class,
        () -> AzureConnectParam.ofConnectionString("AccountName=a;" + KEY.replace("=", ""), "c01"));
    assertFalse(badPart.getMessage().contains(KEY.substring(0, 20)), badPart.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> AzureConnectParam.ofAccountUrl("ftp://x/y", KEY, "c01"));
    assertThrows(IllegalArgumentException.class,
        () -> AzureConnectParam.ofAccountUrl("http://127.0.0.1:10000", KEY, "c01"));
  }
}
