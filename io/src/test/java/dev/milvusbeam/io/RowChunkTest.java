package dev.milvusbeam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.milvusbeam.core.format.FileType;
import dev.milvusbeam.core.format.FormatOptions;
import dev.milvusbeam.core.row.RowValidator;
import dev.milvusbeam.core.row.ValidRow;
import dev.milvusbeam.core.schema.CollectionSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class RowChunkTest {
  @Test
  void chunksCrossTheirCoderWithEveryRowInOrder() throws Exception {
    CollectionSchema schema = MilvusIOTest.schema("seed");
    RowValidator v = new RowValidator(schema, FileType.PARQUET.columnCheck(FormatOptions.defaults()));
    List<ValidRow> rows = new ArrayList<>();
    for (String line : MilvusIOTest.seedRows(300)) {
      rows.add(v.validateJson(line).orThrow());
    }
    ValidRowCoder rowCoder = new ValidRowCoder(schema);
    RowChunk chunk = RowChunk.pack(rows, rowCoder).get(0);
    // nested in a KV, as the tails' GroupByKey carries it
    KvCoder<Integer, RowChunk> kv = KvCoder.of(VarIntCoder.of(), RowChunk.ChunkCoder.INSTANCE);
    KV<Integer, RowChunk> back = CoderUtils.clone(kv, KV.of(0, chunk));
    RowChunk c = back.getValue();
    assertEquals(chunk.rows(), c.rows());
    assertEquals(chunk.estimatedBytes(), c.estimatedBytes());
    assertArrayEquals(chunk.bytes(), c.bytes());
    List<ValidRow> read = new ArrayList<>();
    c.read(rowCoder, read::add);
    assertEquals(rows, read);
    assertSame(RowChunk.ChunkCoder.INSTANCE,
        SerializableUtils.clone(RowChunk.ChunkCoder.INSTANCE));
  }

  @Test
  void aCorruptChunkIsRefused() {
    byte[] bad = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0};
    assertThrows(CoderException.class,
        () -> CoderUtils.decodeFromByteArray(RowChunk.ChunkCoder.INSTANCE, bad));
  }
}
