package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidationResult;
import dev.milvusbeam.core.schema.CollectionSchema;
import dev.milvusbeam.core.schema.SchemaException;
import dev.milvusbeam.core.schema.SchemaJson;
import dev.milvusbeam.io.LocalBulkWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * {@code bulkwriter convert}: JSON Lines rows in, import files out, rejected rows with their
 * violations to the failures path. Everything the user can get wrong (schema, input, file type and
 * schema combination) is checked before any row is read.
 */
final class Convert {
  private Convert() {}

  static Summary run(ConvertOptions o, PrintStream err) throws IOException {
    CollectionSchema schema = readSchema(o.getSchema());
    List<MatchResult.Metadata> inputs = match(o.getInput());
    try (LocalBulkWriter writer = WriterSettings.open(schema, o)) {
      String failuresPath = o.getFailures() != null ? o.getFailures()
          : writer.getDataPath() + ".failures.jsonl";
      RowValidator validator = writer.getValidator();
      Progress progress = new Progress(err);
      long rows = 0;
      try (FailureLog failures = new FailureLog(failuresPath)) {
        for (MatchResult.Metadata in : inputs) {
          String name = in.resourceId().toString();
          try (InputStream stream = Channels.newInputStream(FileSystems.open(in.resourceId()))) {
            LineReader lines = new LineReader(stream);
            long lineNo = 0;
            while (lines.next()) {
              lineNo++;
              if (lines.isBlank()) {
                continue;
              }
              ValidationResult r = validator.validateJson(lines.buffer(), lines.offset(), lines.length());
              if (r.isValid()) {
                writer.append(r.row());
                rows++;
              } else {
                failures.reject(name, lineNo, new String(lines.buffer(), lines.offset(),
                    lines.length(), StandardCharsets.UTF_8), r.violations());
              }
              progress.tick(rows + failures.count(), failures.count(), writer.getSegments().size());
            }
          }
        }
        writer.commit();
        progress.done(rows, failures.count(), writer.getSegments().size());
        return new Summary(writer.getDataPath(), writer.getBatchFiles(), rows, failures.count(),
            failures.path());
      }
    }
  }

  static CollectionSchema readSchema(String path) {
    try {
      return SchemaJson.read(java.nio.file.Paths.get(path));
    } catch (IOException e) {
      throw new UsageException("cannot read --schema=" + path + ": " + e);
    } catch (SchemaException e) {
      throw new UsageException("bad schema " + path + ": " + e.getMessage());
    }
  }

  private static List<MatchResult.Metadata> match(String glob) {
    try {
      MatchResult m = FileSystems.match(glob);
      List<MatchResult.Metadata> files = new ArrayList<>(m.metadata());
      files.removeIf(f -> f.resourceId().isDirectory());
      if (files.isEmpty()) {
        throw new UsageException("--input=" + glob + " matches no file");
      }
      files.sort(Comparator.comparing(f -> f.resourceId().toString()));
      return files;
    } catch (java.io.FileNotFoundException e) {
      throw new UsageException("--input=" + glob + " matches no file");
    } catch (IOException e) {
      throw new UsageException("cannot read --input=" + glob + ": " + e.getMessage());
    }
  }

}
