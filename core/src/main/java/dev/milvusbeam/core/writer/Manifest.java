package dev.milvusbeam.core.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code <output>/<uuid>.manifest.json}, written beside the data folder (never inside it: Milvus
 * would take a {@code .json} there for data). What a later step needs to trust and import the
 * folder without listing it: the schema and its fingerprint, the file type and CSV options, every
 * segment (files with size and CRC32C, rows, bytes), the batch files exactly as the Import API
 * takes them, totals and the number of rejected rows.
 */
public final class Manifest {
  /** The manifest's own format version; bumped when a field changes meaning. */
  public static final int VERSION = 1;
  /** Suffix appended to the data path: {@code <output>/<uuid>.manifest.json}. */
  public static final String SUFFIX = ".manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifest() {}

  /** {@code sha256:<hex>} of the schema's canonical REST v2 JSON: equal schemas, equal prints. */
  public static String fingerprint(CollectionSchema schema) {
    try {
      byte[] canonical = SchemaJson.toTree(schema).toString().getBytes(StandardCharsets.UTF_8);
      return "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /**
   * The manifest's JSON.
   *
   * @param dataPath the data folder as the writer reports it
   * @param segments committed segments, files relative to the data path
   * @param pathOf maps a relative file to the path the writer reports for it (batch files)
   * @param rejectedRows rows refused by validation for this data folder
   */
  public static byte[] toJson(String dataPath, CollectionSchema schema, FileType fileType,
      FormatOptions options, List<Segment> segments, UnaryOperator<String> pathOf,
      long rejectedRows) {
    return toJson(dataPath, schema, fileType, options, segments, pathOf, rejectedRows, null);
  }

  /**
   * The manifest's JSON, naming the write that committed the folder ({@code writeId}, a random id
   * of one Beam write), so that a re-executed finalize of the same write knows it is done.
   */
  public static byte[] toJson(String dataPath, CollectionSchema schema, FileType fileType,
      FormatOptions options, List<Segment> segments, UnaryOperator<String> pathOf,
      long rejectedRows, String writeId) {
    ObjectNode m = JSON.createObjectNode();
    m.put("manifestVersion", VERSION);
    m.put("writer", "milvus-beam-bulkwriter");
    if (writeId != null) {
      m.put("writeId", writeId);
    }
    m.put("dataPath", dataPath);
    m.put("fileType", fileType.toString());
    if (fileType == FileType.CSV) {
      ObjectNode csv = m.putObject("csv");
      csv.put("sep", String.valueOf(options.csvSeparator()));
      csv.put("nullkey", options.csvNullKey());
    }
    m.put("schemaFingerprint", fingerprint(schema));
    long rows = 0;
    long bytes = 0;
    ArrayNode segs = m.putArray("segments");
    ArrayNode batch = JSON.createArrayNode();
    for (Segment s : segments) {
      ObjectNode o = segs.addObject();
      o.put("number", s.number());
      ArrayNode files = o.putArray("files");
      ArrayNode group = batch.addArray();
      long segmentBytes = 0;
      for (FileDigest d : s.files()) {
        String path = pathOf.apply(d.path());
        files.addObject().put("path", path).put("bytes", d.bytes()).put("crc32c", d.crc32c());
        group.add(path);
        segmentBytes += d.bytes();
      }
      o.put("rows", s.rows());
      o.put("bytes", segmentBytes);
      rows += s.rows();
      bytes += segmentBytes;
    }
    m.set("batchFiles", batch);
    m.put("rows", rows);
    m.put("bytes", bytes);
    m.put("rejectedRows", rejectedRows);
    m.set("schema", SchemaJson.toTree(schema));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The segments a manifest lists, when it was written by the write {@code writeId}; null when it
   * is from another write, or unreadable (cut short).
   *
   * @param dataPath the data folder the manifest's paths start with
   */
  public static List<Segment> segmentsWrittenBy(byte[] json, String writeId, String dataPath) {
    JsonNode m;
    try {
      m = JSON.readTree(json);
    } catch (java.io.IOException e) {
      return null;
    }
    if (m == null || !writeId.equals(m.path("writeId").asText(null))
        || !m.path("segments").isArray()) {
      return null;
    }
    List<Segment> segments = new java.util.ArrayList<>();
    String prefix = dataPath + "/";
    for (JsonNode s : m.get("segments")) {
      List<FileDigest> files = new java.util.ArrayList<>();
      for (JsonNode f : s.path("files")) {
        String path = f.path("path").asText();
        files.add(new FileDigest(path.startsWith(prefix) ? path.substring(prefix.length()) : path,
            f.path("bytes").asLong(), f.path("crc32c").asText()));
      }
      segments.add(new Segment(dataPath, s.path("number").asInt(), files, s.path("rows").asLong()));
    }
    return segments;
  }
}
