package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** {@link S3ConnectParam} settings and how they map onto Beam's S3 options (no server). */
class S3ConnectParamTest {
  private static final String SECRET = "s3cr3t-KEY-do-not-print";
  private static final String TOKEN = "SESSION-token-do-not-print";

  @Test
  void toStringNeverShowsTheSecretOrTheSessionToken() {
    S3ConnectParam p = S3ConnectParam.builder().endpoint("storage.googleapis.com")
        .accessKey("GOOGACCESS").secretKey(SECRET).sessionToken(TOKEN).bucketName("b").build();
    String s = p.toString();
    assertFalse(s.contains(SECRET), s);
    assertFalse(s.contains(TOKEN), s);
    assertTrue(s.contains("GOOGACCESS") && s.contains("bucketName=b")
        && s.contains("https://storage.googleapis.com"), s);
    assertEquals("x **** y ****", p.redact("x " + SECRET + " y " + TOKEN));
  }

  @Test
  void theSeedPagesGcsExample() {
    S3ConnectParam p = S3ConnectParam.builder().endpoint("storage.googleapis.com")
        .accessKey("AK").secretKey(SECRET).bucketName("bucket").secure(true).build();
    assertEquals("https://storage.googleapis.com", p.endpoint());
    assertTrue(p.pathStyle(), "not AWS: path style");
    assertTrue(p.secure());
    assertEquals("us-east-1", p.region());
    assertEquals("s3://bucket/folder/x.parquet", p.toBeamPath("/folder/x.parquet"));
    assertEquals("bucket", p.bucket());
  }

  @Test
  void endpointSchemeFollowsSecureUnlessGiven() {
    assertEquals("http://minio:9000", S3ConnectParam.builder().endpoint("minio:9000")
        .secure(false).bucketName("b").build().endpoint());
    assertEquals("https://minio:9000", S3ConnectParam.builder().endpoint("minio:9000/")
        .bucketName("b").build().endpoint());
    S3ConnectParam given = S3ConnectParam.builder().endpoint("http://127.0.0.1:9000")
        .bucketName("b").build();
    assertEquals("http://127.0.0.1:9000", given.endpoint());
    assertFalse(given.secure());
    assertThrows(IllegalArgumentException.class,
        () -> S3ConnectParam.builder().endpoint("ftp://x").bucketName("b").build());
    assertThrows(IllegalArgumentException.class,
        () -> S3ConnectParam.builder().endpoint("host:9000/bucket").bucketName("b").build());
  }

  @Test
  void awsIsVirtualHostedAndUsesTheSdksEndpoint() {
    S3ConnectParam none = S3ConnectParam.builder().bucketName("b").region("eu-west-1").build();
    assertNull(none.endpoint());
    assertFalse(none.pathStyle());
    S3ConnectParam global = S3ConnectParam.builder().endpoint("s3.amazonaws.com")
        .bucketName("b").build();
    assertFalse(global.pathStyle());
    assertNull(global.endpointOverride());
    S3ConnectParam regional = S3ConnectParam.builder().endpoint("s3.eu-west-1.amazonaws.com")
        .bucketName("b").build();
    assertFalse(regional.pathStyle());
    assertEquals(URI.create("https://s3.eu-west-1.amazonaws.com"), regional.endpointOverride());
    assertFalse(S3ConnectParam.builder().endpoint("minio:9000").pathStyle(false)
        .bucketName("b").build().pathStyle());
  }

  @Test
  void applyToSetsBeamsS3Options() {
    S3ConnectParam p = S3ConnectParam.builder().endpoint("127.0.0.1:9000").secure(false)
        .accessKey("AK").secretKey(SECRET).sessionToken(TOKEN).region("eu-central-1")
        .bucketName("b").maxRetries(3).build();
    PipelineOptions o = PipelineOptionsFactory.create();
    p.applyTo(o);
    S3Options s3 = o.as(S3Options.class);
    assertEquals(Region.EU_CENTRAL_1, s3.getAwsRegion());
    assertEquals(URI.create("http://127.0.0.1:9000"), s3.getEndpoint());
    assertEquals(PathStyleS3ClientBuilderFactory.class, s3.getS3ClientFactoryClass());
    assertEquals(S3ConnectParam.DEFAULT_UPLOAD_PART_BYTES, s3.getS3UploadBufferSizeBytes());
    assertEquals(3, o.as(PathStyleS3ClientBuilderFactory.Options.class).getS3MaxRetries());
    StaticCredentialsProvider creds =
        assertInstanceOf(StaticCredentialsProvider.class, s3.getAwsCredentialsProvider());
    AwsSessionCredentials c =
        assertInstanceOf(AwsSessionCredentials.class, creds.resolveCredentials());
    assertEquals(SECRET, c.secretAccessKey());
    assertEquals(TOKEN, c.sessionToken());

    // the settings survive the trip a runner makes them take (JSON), and so do the credentials
    PipelineOptions back = PipelineOptionsTranslation.fromProto(PipelineOptionsTranslation.toProto(o));
    S3Options s3b = back.as(S3Options.class);
    assertEquals(URI.create("http://127.0.0.1:9000"), s3b.getEndpoint());
    assertEquals(PathStyleS3ClientBuilderFactory.class, s3b.getS3ClientFactoryClass());
    assertEquals(3, back.as(PathStyleS3ClientBuilderFactory.Options.class).getS3MaxRetries());
    assertEquals(TOKEN, ((AwsSessionCredentials) s3b.getAwsCredentialsProvider()
        .resolveCredentials()).sessionToken());
    // and the client factory builds a path-style client from them
    new PathStyleS3ClientBuilderFactory().createBuilder(s3b).build().close();
  }

  @Test
  void withoutKeysTheDefaultCredentialChainAndVirtualHostedAwsClient() {
    S3ConnectParam p = S3ConnectParam.builder().bucketName("b").build();
    PipelineOptions o = PipelineOptionsFactory.create();
    p.applyTo(o);
    S3Options s3 = o.as(S3Options.class);
    assertInstanceOf(DefaultCredentialsProvider.class, s3.getAwsCredentialsProvider());
    assertEquals(PathStyleS3ClientBuilderFactory.VirtualHosted.class,
        s3.getS3ClientFactoryClass());
    assertEquals(Region.US_EAST_1, s3.getAwsRegion());
    assertTrue(p.toString().contains("default AWS credential chain"), p.toString());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> S3ConnectParam.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> S3ConnectParam.builder().bucketName("b/dir").build());
    IllegalArgumentException onlyOne = assertThrows(IllegalArgumentException.class,
        () -> S3ConnectParam.builder().bucketName("b").secretKey(SECRET).build());
    assertFalse(onlyOne.getMessage().contains(SECRET));
    assertThrows(IllegalArgumentException.class,
        () -> S3ConnectParam.builder().uploadPartBytes(1024));
    assertThrows(IllegalArgumentException.class, () -> S3ConnectParam.builder().maxRetries(-1));
  }

  @Test
  void isSerializableWithItsSettings() throws Exception {
    S3ConnectParam p = S3ConnectParam.builder().endpoint("minio:9000").accessKey("AK")
        .secretKey(SECRET).bucketName("b").build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(p, in.readObject());
    }
  }
}
