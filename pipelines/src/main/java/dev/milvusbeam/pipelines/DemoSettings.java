package dev.milvusbeam.pipelines;

import dev.milvusbeam.core.schema.CollectionSchema;

/**
 * Everything {@code demo} takes from its flags ({@link DemoOptions}), read and checked once: the
 * output ({@link OutputSettings}, its file type tried on the seed schema), the number of rows,
 * the vector dimension and the seed. {@link Demo} reads only this.
 *
 * @param schema the seed page's schema with {@code --dim}
 */
record DemoSettings(OutputSettings output, CollectionSchema schema, int rows, int dim, long seed) {
  static DemoSettings from(DemoOptions o) {
    OutputSettings output = OutputSettings.from(o);
    if (output.output().contains("://") && !output.output().startsWith("file://")) {
      throw Flags.refused("output", o.getOutput(), "demo writes to a local folder (use convert"
          + " for buckets)");
    }
    int rows = Flags.atLeast("rows", o.getRows(), 0, 10_000);
    int dim = Flags.atLeast("dim", o.getDim(), 1, 768);
    CollectionSchema schema = Flags.checked("dim", dim, () -> Demo.seedSchema(dim));
    output.checkSchema(schema);
    return new DemoSettings(output, schema, rows, dim, o.getSeed() == null ? 42L : o.getSeed());
  }
}
