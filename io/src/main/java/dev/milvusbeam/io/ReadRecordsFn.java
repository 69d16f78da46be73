package dev.milvusbeam.io;

import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;

/** The records of each element, as a step of their own: for a write that must group them. */
final class ReadRecordsFn<T, R> extends DoFn<T, R> {
  private static final long serialVersionUID = 1L;
  private final RecordReader<T, R> reader;

  ReadRecordsFn(RecordReader<T, R> reader) {
    this.reader = reader;
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<R> out) throws IOException {
    reader.read(element, out::output);
  }
}
