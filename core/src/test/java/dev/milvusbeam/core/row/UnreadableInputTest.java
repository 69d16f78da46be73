package dev.milvusbeam.core.row;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.MalformedInputException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** Damaged bytes versus a failure of reading, over the whole cause chain. */
class UnreadableInputTest {
  @Test
  void decodingFailuresAreDamage() {
    assertTrue(UnreadableInput.isDamagedData(new EOFException("Unexpected end of ZLIB input")));
    assertTrue(UnreadableInput.isDamagedData(new ZipException("Not in GZIP format")));
    assertTrue(UnreadableInput.isDamagedData(new MalformedInputException(1)));
    assertTrue(UnreadableInput.isDamagedData(
        new RuntimeException("x.parquet is not a Parquet file")));
    assertTrue(UnreadableInput.isDamagedData(new IOException("can not read FileMetaData",
        new IllegalStateException("Required field 'codec' was not present"))));
  }

  @Test
  void transportAndStoreFailuresAreNot() {
    assertFalse(UnreadableInput.isDamagedData(new IOException("read failed",
        new SocketTimeoutException("Read timed out"))));
    assertFalse(UnreadableInput.isDamagedData(new UncheckedIOException(
        new ConnectException("refused"))));
    assertFalse(UnreadableInput.isDamagedData(new NoSuchFileException("/gone.jsonl")));
    assertFalse(UnreadableInput.isDamagedData(new RuntimeException("wrapped",
        new software.amazon.fake.SdkClientException())));
    assertFalse(UnreadableInput.isDamagedData(new OutOfMemoryError()));
  }

  @Test
  void theViolationSaysWhatAndWhy() {
    Violation v = UnreadableInput.violation("cannot be read from line 7 on",
        new IOException("wrapped", new EOFException("Unexpected end of ZLIB input stream")));
    assertEquals(Rule.UNREADABLE_INPUT, v.rule());
    assertEquals("unreadable-input", v.rule().code());
    assertEquals("cannot be read from line 7 on: EOFException: Unexpected end of ZLIB input"
        + " stream", v.message());
    assertEquals("not UTF-8", UnreadableInput.violation("not UTF-8", null).message());
  }
}
