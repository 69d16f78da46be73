package dev.milvusbeam.core.row;

/** UTF-8 facts about Java strings without encoding them. */
public final class Utf8 {
  private Utf8() {}

  /** False when the string holds an unpaired surrogate (it has no UTF-8 form). */
  public static boolean isWellFormed(CharSequence s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /** Length in UTF-8 bytes of a well-formed string. */
  public static int byteLength(CharSequence s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)) {
          bytes += 2; // the pair is 4 bytes for 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }
}
