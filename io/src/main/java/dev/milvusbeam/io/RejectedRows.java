package dev.milvusbeam.io;

import java.io.Serializable;

/** How many rows of a window (and pane) validation rejected: reported in its manifest. */
record RejectedRows(long count) implements Serializable {}
