/**
 * Where rows live: {@link dev.vecgd.data.Dataset} (heap X as a kernel {@code Matrix} view and y as a
 * {@code StridedVector}, never copied), value checks ({@link dev.vecgd.data.DataChecks}) and fixed row
 * chunks ({@link dev.vecgd.data.RowChunks}, {@link dev.vecgd.data.RowRange}).
 */
package dev.vecgd.data;
