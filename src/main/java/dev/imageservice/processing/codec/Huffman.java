package dev.imageservice.processing.codec;

import java.util.Arrays;

/**
 * Length-limited canonical Huffman codes for one alphabet: code lengths by the in-place
 * algorithm of Moffat and Katajainen, then capped at {@code maxLength} the way miniz does
 * (move leaves up from the deepest level until the Kraft sum is exact again).
 */
final class Huffman {
    final int[] frequencies;
    final int[] lengths;
    /** Codes with their bits reversed, as deflate sends Huffman codes from the first bit. */
    final int[] codes;
    /** code | length << 16, the hot loop's single look-up. */
    final int[] packed;
    private final int maxLength;
    private final long[] sorted;
    private final int[] depths;

    Huffman(int symbols, int maxLength) {
        this.frequencies = new int[symbols];
        this.lengths = new int[symbols];
        this.codes = new int[symbols];
        this.packed = new int[symbols];
        this.maxLength = maxLength;
        this.sorted = new long[symbols];
        this.depths = new int[symbols];
    }

    void build() {
        int n = frequencies.length;
        Arrays.fill(lengths, 0);
        int used = 0;
        for (int s = 0; s < n; s++) {
            if (frequencies[s] != 0) {
                sorted[used++] = (long) frequencies[s] << 16 | s;
            }
        }
        if (used < 2) {
            // A code needs two symbols to be complete; add one that is never sent.
            int extra = used == 1 && (sorted[0] & 0xFFFF) == 0 ? 1 : 0;
            sorted[used++] = extra;
            if (used < 2) {
                sorted[used++] = 1;
            }
        }
        Arrays.sort(sorted, 0, used);
        for (int i = 0; i < used; i++) {
            depths[i] = (int) (sorted[i] >>> 16);
        }
        minimumRedundancy(depths, used);

        int[] perLength = new int[Math.max(maxLength, 64) + 1];
        for (int i = 0; i < used; i++) {
            perLength[Math.min(depths[i], perLength.length - 1)]++;
        }
        limitLengths(perLength, used);
        // Shortest codes to the most frequent symbols (sorted ascending, so from the end).
        int j = used;
        for (int length = 1; length <= maxLength; length++) {
            for (int k = perLength[length]; k > 0; k--) {
                lengths[(int) (sorted[--j] & 0xFFFF)] = length;
            }
        }
        int[] next = new int[maxLength + 2];
        int[] lengthCount = new int[maxLength + 1];
        for (int s = 0; s < n; s++) {
            lengthCount[lengths[s]]++;
        }
        lengthCount[0] = 0;
        int code = 0;
        for (int length = 1; length <= maxLength; length++) {
            code = (code + lengthCount[length - 1]) << 1;
            next[length] = code;
        }
        for (int s = 0; s < n; s++) {
            int length = lengths[s];
            int reversed = 0;
            if (length != 0) {
                reversed = Integer.reverse(next[length]++) >>> (32 - length);
            }
            codes[s] = reversed;
            packed[s] = reversed | length << 16;
        }
    }

    /** Moffat and Katajainen, "In-place calculation of minimum-redundancy codes" (1995). */
    private static void minimumRedundancy(int[] a, int n) {
        a[0] += a[1];
        int root = 0;
        int leaf = 2;
        for (int next = 1; next < n - 1; next++) {
            if (leaf >= n || a[root] < a[leaf]) {
                a[next] = a[root];
                a[root++] = next;
            } else {
                a[next] = a[leaf++];
            }
            if (leaf >= n || (root < next && a[root] < a[leaf])) {
                a[next] += a[root];
                a[root++] = next;
            } else {
                a[next] += a[leaf++];
            }
        }
        a[n - 2] = 0;
        for (int next = n - 3; next >= 0; next--) {
            a[next] = a[a[next]] + 1;
        }
        int available = 1;
        int usedNodes = 0;
        int depth = 0;
        int root2 = n - 2;
        int next = n - 1;
        while (available > 0) {
            while (root2 >= 0 && a[root2] == depth) {
                usedNodes++;
                root2--;
            }
            while (available > usedNodes) {
                a[next--] = depth;
                available--;
            }
            available = 2 * usedNodes;
            depth++;
            usedNodes = 0;
        }
    }

    private void limitLengths(int[] perLength, int used) {
        for (int i = maxLength + 1; i < perLength.length; i++) {
            perLength[maxLength] += perLength[i];
            perLength[i] = 0;
        }
        long total = 0;
        for (int i = maxLength; i > 0; i--) {
            total += (long) perLength[i] << (maxLength - i);
        }
        while (total != 1L << maxLength) {
            perLength[maxLength]--;
            for (int i = maxLength - 1; i > 0; i--) {
                if (perLength[i] != 0) {
                    perLength[i]--;
                    perLength[i + 1] += 2;
                    break;
                }
            }
            total--;
        }
    }
}
