/**
 * The `k`-th smallest (0-based) of `values[0 .. length)`, found by Hoare's selection: partition
 * around a pivot and keep only the side that holds position `k`, linear on average instead of
 * the `n log n` of sorting. `values` is reordered. The values must not be NaN (every comparison
 * with NaN is false, which would stall the partition); callers leave NaN out.
 */
export function selectKth(values: Float64Array, length: number, k: number): number {
  let left = 0;
  let right = length - 1;
  while (right > left) {
    // The median of the first, middle and last values as the pivot keeps sorted, reversed and
    // constant runs linear; equal values split evenly between the two sides.
    const middle = (left + right) >> 1;
    if (values[middle]! < values[left]!) swap(values, middle, left);
    if (values[right]! < values[left]!) swap(values, right, left);
    if (values[right]! < values[middle]!) swap(values, right, middle);
    const pivot = values[middle]!;

    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }

    // Now values[left .. j] <= pivot <= values[i .. right], and everything between equals it.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

function swap(values: Float64Array, a: number, b: number): void {
  const value = values[a]!;
  values[a] = values[b]!;
  values[b] = value;
}
