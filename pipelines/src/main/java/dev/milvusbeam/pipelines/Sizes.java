package dev.milvusbeam.pipelines;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes such as {@code 128MB}, {@code 1.5GiB}, {@code 65536}; units are binary. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B)?");

  private Sizes() {}

  static long parse(String text, String flag) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("--" + flag + "=" + text + " is not a size (e.g. 128MB, 1GB, 65536)");
    }
    int shift = "KMGT".indexOf(m.group(2)) + 1;
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(1024, m.group(2).isEmpty() ? 0 : shift);
    if (bytes < 1 || bytes > Long.MAX_VALUE) {
      throw new UsageException("--" + flag + "=" + text + " is out of range");
    }
    return (long) bytes;
  }
}
