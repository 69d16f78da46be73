package dev.milvusbeam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class CommandOptionsTest {
  /** The AWS options of {@code convert} with these flags. */
  private static AwsOptions aws(String... flags) {
    return CommandOptions.forPipeline(flags, ConvertOptions.class).as(AwsOptions.class);
  }

  @Test
  void withoutAnS3PathTheRegionIsPinnedSoThatNoPipelineLooksItUp() {
    AwsOptions o = aws("--runner=DirectRunner", "--input=/data/in.csv", "--output=/tmp/out");
    assertEquals(Region.AWS_GLOBAL, o.getAwsRegion());
  }

  @Test
  void commandsThatRunNoPipelineDoNotLookTheRegionUpEither() {
    assertEquals(Region.AWS_GLOBAL, CommandOptions.withoutPipelineRegistrars(new String[] {
        "--schema=/s.json", "--dataPath=/data/x", "--fileType=parquet"}, VerifyOptions.class)
        .as(AwsOptions.class).getAwsRegion());
  }

  @Test
  void anS3PathOrAGivenRegionKeepsBeamsRegion() {
    // Beam's lookup then answers with the SDK's first source, this JVM's aws.region property
    String before = System.getProperty("aws.region");
    System.setProperty("aws.region", "ap-south-1");
    try {
      assertEquals(Region.AP_SOUTH_1,
          aws("--input=s3://bucket/in/*.csv", "--output=/tmp/out").getAwsRegion());
      assertEquals(Region.AP_SOUTH_1, aws("--input=/data/in.csv", "--output=s3://bucket/out").getAwsRegion());
    } finally {
      if (before == null) {
        System.clearProperty("aws.region");
      } else {
        System.setProperty("aws.region", before);
      }
    }
    assertEquals(Region.EU_WEST_1,
        aws("--awsRegion=eu-west-1", "--input=/data/in.csv", "--output=/tmp/out").getAwsRegion());
  }

  @Test
  void bucketFileSystemsAreSetUpOnlyForAPathOnABucket() {
    org.junit.jupiter.api.Assertions.assertFalse(Flags.namesABucket("/data/x", null,
        "file:///tmp/s.json", "relative/dir"));
    org.junit.jupiter.api.Assertions.assertTrue(Flags.namesABucket("/data/x", "s3://b/k"));
    org.junit.jupiter.api.Assertions.assertTrue(Flags.namesABucket("azfs://acct/c/x"));
    org.junit.jupiter.api.Assertions.assertTrue(
        Flags.namesABucket("[[\"file:///a/1.parquet\"],[\"gs://b/u/2.parquet\"]]"));
  }
}
