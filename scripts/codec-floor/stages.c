// Floor figures for the PNG encoder's stages (scripts/codec-floor.sh): the same algorithms as the
// Java code, in C (gcc -O3 -march=native: the compiler's auto-vectoriser on the filters), on one image.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <zlib.h>

static double cpu_ms(void) {
    struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }

static uint8_t *raw, *filtered, *outbuf, *copy;
static int W, H, rowBytes, bpp = 3;
static size_t filteredLen;

static inline uint8_t avg(uint8_t a, uint8_t b) { return (uint8_t)((a + b) >> 1); }

__attribute__((noinline)) static long filter_all(void) {
    static uint8_t zeros[1 << 16];
    long chosen = 0;
    for (int y = 0; y < H; y++) {
        const uint8_t *c = raw + (size_t) y * rowBytes;
        const uint8_t *p = y ? c - rowBytes : zeros;
        uint8_t *o = filtered + (size_t) y * (rowBytes + 1);
        int sub = 0, up = 0, av = 0;
        for (int i = 0; i < bpp; i++) { sub += abs((int8_t) c[i]); up += abs((int8_t)(c[i] - p[i])); av += abs((int8_t)(c[i] - (p[i] >> 1))); }
        for (int i = bpp; i < rowBytes; i++) {
            sub += abs((int8_t)(c[i] - c[i - bpp]));
            up += abs((int8_t)(c[i] - p[i]));
            av += abs((int8_t)(c[i] - avg(c[i - bpp], p[i])));
        }
        int best = 1; int bc = sub;
        if (up < bc) { best = 2; bc = up; }
        if (av < bc) { best = 3; }
        o[0] = best; o++;
        chosen += best;
        if (best == 1) { for (int i = 0; i < bpp; i++) o[i] = c[i]; for (int i = bpp; i < rowBytes; i++) o[i] = c[i] - c[i - bpp]; }
        else if (best == 2) { for (int i = 0; i < rowBytes; i++) o[i] = c[i] - p[i]; }
        else { for (int i = 0; i < bpp; i++) o[i] = c[i] - (p[i] >> 1); for (int i = bpp; i < rowBytes; i++) o[i] = c[i] - avg(c[i - bpp], p[i]); }
    }
    return chosen;
}

static uint32_t table[256];

// The counting pass: four histograms, 8 bytes a word (runs ignored: photos have few).
__attribute__((noinline)) static long count_all(uint32_t *freq) {
    static uint32_t h[4][256];
    memset(h, 0, sizeof h);
    size_t i = 0;
    for (; i + 8 <= filteredLen; i += 8) {
        uint64_t w; memcpy(&w, filtered + i, 8);
        h[0][w & 255]++; h[1][(w >> 8) & 255]++; h[2][(w >> 16) & 255]++; h[3][(w >> 24) & 255]++;
        h[0][(w >> 32) & 255]++; h[1][(w >> 40) & 255]++; h[2][(w >> 48) & 255]++; h[3][w >> 56]++;
    }
    for (; i < filteredLen; i++) h[0][filtered[i]]++;
    long t = 0;
    for (int s = 0; s < 256; s++) { freq[s] = h[0][s] + h[1][s] + h[2][s] + h[3][s]; t += freq[s]; }
    return t;
}

// The emission: the Java loop's shape (three codes joined, the 64-bit buffer stored whole).
__attribute__((noinline)) static size_t emit_all(void) {
    uint8_t *o = outbuf; size_t p = 0; uint64_t bits = 0; unsigned count = 0;
    size_t i = 0;
    for (; i + 8 <= filteredLen; i += 8) {
        uint64_t w; memcpy(&w, filtered + i, 8);
        for (int k = 0; k < 2; k++) {
            uint32_t e1 = table[(w >> (24 * k)) & 255], e2 = table[(w >> (24 * k + 8)) & 255], e3 = table[(w >> (24 * k + 16)) & 255];
            unsigned l1 = e1 >> 16, l12 = l1 + (e2 >> 16);
            bits |= ((uint64_t)(e1 & 0xFFFF) | (uint64_t)(e2 & 0xFFFF) << l1 | (uint64_t)(e3 & 0xFFFF) << l12) << count;
            count += l12 + (e3 >> 16);
            memcpy(o + p, &bits, 8); unsigned b = count >> 3; p += b; bits >>= b << 3; count &= 7;
        }
        uint32_t e1 = table[(w >> 48) & 255], e2 = table[w >> 56];
        unsigned l1 = e1 >> 16;
        bits |= ((uint64_t)(e1 & 0xFFFF) | (uint64_t)(e2 & 0xFFFF) << l1) << count;
        count += l1 + (e2 >> 16);
        memcpy(o + p, &bits, 8); unsigned b = count >> 3; p += b; bits >>= b << 3; count &= 7;
    }
    return p;
}

int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb");
    int maxv; if (fscanf(f, "P6 %d %d %d", &W, &H, &maxv) != 3) return 1; fgetc(f);
    rowBytes = W * 3;
    if (rowBytes > 1 << 16) { fprintf(stderr, "rows wider than 21845 pixels are not supported\n"); return 1; }
    size_t n = (size_t) rowBytes * H;
    raw = malloc(n); copy = malloc(n);
    if (fread(raw, 1, n, f) != n) return 1;
    filteredLen = (size_t) (rowBytes + 1) * H;
    filtered = malloc(filteredLen); outbuf = malloc(filteredLen * 2 + 64);
    memset(copy, 1, n); memset(filtered, 1, filteredLen); memset(outbuf, 1, filteredLen * 2 + 64);
    int rounds = argc > 2 ? atoi(argv[2]) : 15;
    uint32_t freq[256];
    filter_all(); count_all(freq);
    double total = 0; for (int s = 0; s < 256; s++) total += freq[s];
    for (int s = 0; s < 256; s++) {
        int len = freq[s] ? (int) ceil(-log2(freq[s] / total)) : 15;
        if (len < 1) len = 1; if (len > 15) len = 15;
        table[s] = (uint32_t) len << 16 | (s * 2654435761u & ((1u << len) - 1));
    }
    const char *names[] = {"memcpy of the pixels", "filter (3 trials + apply, -O3 auto-vectorised)", "count (4 histograms)",
                           "emit (same loop as Java)", "adler32 (zlib)", "crc32 (zlib, of 60%)"};
    double t[6][64]; volatile long sink = 0;
    for (int r = -3; r < rounds; r++) {
        double a;
        a = cpu_ms(); memcpy(copy, raw, n); sink += copy[n / 2]; if (r >= 0) t[0][r] = cpu_ms() - a;
        a = cpu_ms(); sink += filter_all(); if (r >= 0) t[1][r] = cpu_ms() - a;
        a = cpu_ms(); sink += count_all(freq); if (r >= 0) t[2][r] = cpu_ms() - a;
        a = cpu_ms(); sink += emit_all(); if (r >= 0) t[3][r] = cpu_ms() - a;
        a = cpu_ms(); sink += adler32(1, filtered, filteredLen); if (r >= 0) t[4][r] = cpu_ms() - a;
        a = cpu_ms(); sink += crc32(0, outbuf, filteredLen * 6 / 10); if (r >= 0) t[5][r] = cpu_ms() - a;
    }
    printf("%s: %dx%d, %zu filtered bytes, emitted %zu bytes; medians of %d rounds, thread CPU ms\n", argv[1], W, H, filteredLen, emit_all(), rounds);
    for (int k = 0; k < 6; k++) {
        qsort(t[k], rounds, sizeof(double), cmp);
        printf("  %-48s %8.2f ms  (%.2f ns/byte)\n", names[k], t[k][rounds / 2], t[k][rounds / 2] * 1e6 / filteredLen);
    }
    return (int) (sink & 0);
}
