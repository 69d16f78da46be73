package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.importing.ImportClient;
import dev.milvusbeam.io.importing.ImportTarget;
import dev.milvusbeam.io.importing.ImportTiming;
import dev.milvusbeam.core.writer.SegmentRoller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a flag's value is read: sizes, file types, CSV separators and null keys, durations, counts,
 * the schema file. The commands' settings ({@link ConvertSettings}, {@link ImportCommandSettings},
 * {@link VerifySettings}, {@link DemoSettings}) read every flag through these, once. A refused
 * value is a {@link UsageException} that names the flag, the value and the rule:
 * {@code --segmentSize='big': not a size (e.g. 128MB, 1GB, 65536)}.
 */
final class Flags {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private Flags() {}

  /** {@code --flag='value': rule}. */
  static UsageException refused(String flag, Object value, String rule) {
    return new UsageException("--" + flag + "='" + value + "': " + rule);
  }

  /** Runs a library check, its refusal ({@link IllegalArgumentException}) named after the flag. */
  static <T> T checked(String flag, Object value, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) { // SchemaException too
      throw refused(flag, value, e.getMessage());
    }
  }

  /** A flag Beam's {@code @Validation.Required} asks for (checked again when built without it). */
  static String required(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + flag + " is required");
    }
    return value;
  }

  /** {@code 128MB}, {@code 1.5GiB}, {@code 65536}: bytes, units binary; at least 1 byte. */
  static long size(String flag, String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw refused(flag, text, "not a size (e.g. 128MB, 1GB, 65536)");
    }
    int shift = "KMGT".indexOf(m.group(2)) + 1;
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(1024, m.group(2).isEmpty() ? 0 : shift);
    if (bytes < 1 || bytes > Long.MAX_VALUE) {
      throw refused(flag, text, "out of range (at least 1 byte)");
    }
    return (long) bytes;
  }

  /** A size that is also a valid segment target (at most what Milvus imports per file group). */
  static long segmentSize(String flag, String text) {
    long bytes = size(flag, text);
    return checked(flag, text, () -> SegmentRoller.checkSegmentSize(bytes));
  }

  /** {@code json|jsonl|parquet|numpy|csv}; {@code fallback} when not given (null: required). */
  static FileType fileType(String flag, String name, FileType fallback) {
    if (name == null && fallback != null) {
      return fallback;
    }
    return checked(flag, name, () -> FileType.fromName(name));
  }

  /** One character; {@code \t} or {@code tab} for a tab. */
  static char separator(String flag, String text) {
    String s = "\\t".equals(text) || "tab".equalsIgnoreCase(text) ? "\t" : text;
    if (s == null || s.length() != 1) {
      throw refused(flag, text, "must be one character (\\t for tab)");
    }
    return s.charAt(0);
  }

  /**
   * The CSV separator and null key files are written or read with, by {@link FormatOptions}'
   * rules: each on its own, then together (the null key must not contain the separator).
   */
  static FormatOptions csv(String sepFlag, String sep, String nullKeyFlag, String nullKey) {
    char c = separator(sepFlag, sep);
    String key = nullKey == null ? "" : nullKey;
    FormatOptions f = checked(sepFlag, sep, () -> FormatOptions.defaults().withCsvSeparator(c));
    FormatOptions withKey = checked(nullKeyFlag, key, () -> f.withCsvNullKey(key));
    try {
      return withKey.check();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + nullKeyFlag + "='" + key + "' with --" + sepFlag + "='"
          + sep + "': " + e.getMessage());
    }
  }

  /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
  static Duration duration(String flag, String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw refused(flag, text, "want a duration like 500ms, 2s, 5m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofSeconds(n);
    }
  }

  /** A count of at least {@code min}; {@code fallback} when not given. */
  static int atLeast(String flag, Integer value, int min, int fallback) {
    int v = value == null ? fallback : value;
    if (v < min) {
      throw refused(flag, v, "must be >= " + min);
    }
    return v;
  }

  /**
   * The collection schema: {@code --schema} (a file), or {@code --schemaFrom} (the collection as
   * the server describes it; {@code --collection} required, {@code --dbName}, {@code --token} or
   * {@code $MILVUS_TOKEN}); both together are refused. Null when neither is given and not
   * required. Warnings (a 2.6 server lists no struct arrays) go to stderr.
   */
  static CollectionSchema schema(SchemaSourceFlags f, boolean required) {
    if (f.getSchema() != null && f.getSchemaFrom() != null) {
      throw new UsageException("give --schema or --schemaFrom, not both");
    }
    if (f.getSchemaFrom() == null) {
      if (f.getSchema() == null && !required) {
        return null;
      }
      if (f.getSchema() == null) {
        throw new UsageException("--schema (a file) or --schemaFrom (the collection's server) is"
            + " required");
      }
      return schema("schema", f.getSchema());
    }
    String uri = f.getSchemaFrom();
    String collection = f.getCollection();
    if (collection == null || collection.isBlank()) {
      throw new UsageException("--schemaFrom needs --collection: whose schema to read");
    }
    String token = f.getToken() != null ? f.getToken() : System.getenv("MILVUS_TOKEN");
    ImportTarget target = checked("schemaFrom", uri, () -> ImportTarget.milvus(uri))
        .withToken(token).withDatabase(f.getDbName());
    ImportClient client = new ImportClient(target, ImportTiming.defaults()
        .withRetries(2, java.time.Duration.ofSeconds(1)));
    try {
      return client.describeCollection(collection, new ImportClient.Listener() {
        @Override
        public void warning(String message) {
          System.err.println("bulkwriter: warning: --schemaFrom: " + message);
        }
      });
    } catch (SchemaException e) {
      throw refused("schemaFrom", uri, "collection " + collection + ": " + e.getMessage()
          + "; give the schema as a file with --schema instead");
    }
  }

  private static final Pattern BUCKET_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://");

  /**
   * Sets Beam's file systems up from the flags (the bucket flags) when one of {@code values}
   * names a path on another file system than the local one ({@code s3://}, {@code gs://},
   * {@code azfs://}, …, anywhere in the value: a JSON list of files counts). Local paths need
   * nothing: Beam starts with its local file system, and setting every bucket file system's
   * options up is ~0.6 s of a small {@code verify} or {@code import}. One place decides this for
   * the commands that run no pipeline ({@code convert}'s pipeline sets them up anyway).
   */
  static void fileSystemsFor(PipelineOptions o, String... values) {
    if (namesABucket(values)) {
      FileSystems.setDefaultPipelineOptions(o);
    }
  }

  /** Whether one of the values names a path with a scheme other than {@code file://}. */
  static boolean namesABucket(String... values) {
    for (String v : values) {
      if (v == null) {
        continue;
      }
      Matcher m = BUCKET_SCHEME.matcher(v);
      while (m.find()) {
        if (!m.group().equalsIgnoreCase("file://")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The collection schema file (REST v2 or describe-collection shape) on any Beam file system. */
  static CollectionSchema schema(String flag, String path) {
    required(flag, path);
    String text;
    try {
      ResourceId id = FileSystems.matchSingleFileSpec(path).resourceId();
      try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw refused(flag, path, "cannot read it: " + e.getMessage());
    }
    try {
      return SchemaJson.parse(text);
    } catch (IllegalArgumentException e) { // SchemaException
      throw refused(flag, path, "bad schema: " + e.getMessage());
    } catch (RuntimeException e) {
      throw refused(flag, path, "bad schema: " + e);
    }
  }
}
