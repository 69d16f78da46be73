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

  /** The names of the options interfaces Beam's registry holds after {@code convert}'s flags. */
  private static java.util.Set<String> registeredAfter(String... flags) {
    CommandOptions.forPipeline(flags, ConvertOptions.class);
    java.util.Set<String> names = new java.util.HashSet<>();
    org.apache.beam.sdk.options.PipelineOptionsFactory.getRegisteredOptions()
        .forEach(c -> names.add(c.getSimpleName()));
    return names;
  }

  @Test
  void convertRegistersTheOptionsOfItsRunnerAndNoOtherRunner() {
    java.util.Set<String> flink = registeredAfter("--runner=FlinkRunner", "--input=/d/in.jsonl",
        "--output=/tmp/out");
    org.junit.jupiter.api.Assertions.assertTrue(flink.contains("FlinkPipelineOptions"), flink::toString);
    for (String other : new String[] {"DirectOptions", "DataflowPipelineOptions",
        "SparkPipelineOptions", "BigQueryOptions"}) {
      org.junit.jupiter.api.Assertions.assertFalse(flink.contains(other), other);
    }
    // a runner's own flag is read; the bucket file systems' options stay
    assertEquals(3, CommandOptions.forPipeline(new String[] {"--runner=FlinkRunner",
        "--parallelism=3", "--input=/d/in.jsonl", "--output=/tmp/out"}, ConvertOptions.class)
        .as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getParallelism());
    org.junit.jupiter.api.Assertions.assertTrue(flink.contains("S3Options")
        && flink.contains("BlobstoreOptions") && flink.contains("GcsOptions"), flink::toString);

    // the next convert in this JVM gets its own runner's registry, whatever came before
    java.util.Set<String> direct = registeredAfter("--runner=DirectRunner", "--input=/d/in.jsonl",
        "--output=/tmp/out");
    org.junit.jupiter.api.Assertions.assertTrue(direct.contains("DirectOptions"), direct::toString);
    org.junit.jupiter.api.Assertions.assertFalse(direct.contains("FlinkPipelineOptions"));
    java.util.Set<String> dataflow = registeredAfter("--runner=DataflowRunner",
        "--input=/d/in.jsonl", "--output=/tmp/out", "--project=p", "--region=r");
    org.junit.jupiter.api.Assertions.assertTrue(dataflow.contains("DataflowPipelineOptions")
        && dataflow.contains("BigQueryOptions"), dataflow::toString);

    // a runner named by its class: every runner's registrars, as Beam has them
    java.util.Set<String> all = registeredAfter(
        "--runner=org.apache.beam.runners.flink.FlinkRunner", "--input=/d/in.jsonl",
        "--output=/tmp/out");
    org.junit.jupiter.api.Assertions.assertTrue(all.containsAll(java.util.List.of(
        "FlinkPipelineOptions", "DirectOptions", "DataflowPipelineOptions")), all::toString);
  }
}
