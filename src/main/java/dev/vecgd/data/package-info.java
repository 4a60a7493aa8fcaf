/**
 * Where rows live.
 *
 * <p>On the heap: {@link dev.vecgd.data.Dataset} (X as a kernel {@code Matrix} view and y as a
 * {@code StridedVector}, never copied). Off the heap, for data larger than a Java array:
 * {@link dev.vecgd.data.SegmentDataset} (X as a {@code SegmentMatrix}, y as a {@code SegmentVector},
 * {@code long} rows, both layouts, strides), either allocated 64-byte aligned in a shared
 * {@link java.lang.foreign.Arena} or memory-mapped read-only and zero-copy from files by
 * {@link dev.vecgd.data.MappedDoubles} ({@code .npy} version 1.0/2.0/3.0 with dtype {@code '<f8'},
 * C or Fortran order; raw little-endian doubles of a given shape). {@link dev.vecgd.data.NpyWriter}
 * writes {@code .npy} files, streamed. Bad files raise {@link dev.vecgd.data.DataFileException}
 * naming the file and the problem. Off-heap datasets and mappings are {@link AutoCloseable} and
 * release their memory deterministically ({@link dev.vecgd.data.SegmentDataset#allocatedBytes()}
 * accounts arena memory; mappings show in the "mapped" buffer pool).
 *
 * <p>Also: value checks ({@link dev.vecgd.data.DataChecks}) and fixed row chunks
 * ({@link dev.vecgd.data.RowChunks}, {@link dev.vecgd.data.RowRange}).
 */
package dev.vecgd.data;
