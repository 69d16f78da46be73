package dev.milvusbeam.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.milvusbeam.core.format.numpy.NumpyFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Segment file names, spelled and recognized in one place per file type (FORMAT.md section 1). */
class FileTypeTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({"parquet,3.parquet,3", "parquet,1.parquet,1", "parquet,03.parquet,0",
      "parquet,3.Parquet,0", "parquet,3.parquet.tmp,0", "parquet,x/3.parquet,0",
      "parquet,.parquet,0", "parquet,3.json,0", "json,2147483647.json,2147483647",
      "json,2147483648.json,0", "jsonl,7.jsonl,7", "json,7.jsonl,0", "csv,12.csv,12",
      "numpy,3/id.npy,3", "numpy,3/$meta.npy,3", "numpy,3/a/b.npy,0", "numpy,3/id.NPY,0",
      "numpy,03/id.npy,0", "numpy,3.npy,0", "numpy,/id.npy,0"})
  void aSegmentFileIsRecognizedByItsExactName(String type, String path, int segment) {
    assertEquals(segment, FileType.fromName(type).segmentOf(path));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"parquet,5.parquet", "json,5.json", "jsonl,5.jsonl", "csv,5.csv"})
  void theNameOfASegmentIsTheOneItIsRecognizedBy(String type, String name) {
    FileType t = FileType.fromName(type);
    assertEquals(name, ((SingleFileFormat) t.format()).fileName(5));
    assertEquals(5, t.segmentOf(name));
    assertEquals(5, FileType.NUMPY.segmentOf(NumpyFormat.fileName(5, "vector")));
  }
}
