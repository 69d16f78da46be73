package software.amazon.fake;

/** Stands for an exception of a cloud storage client library (recognized by its package). */
public class SdkClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;
}
