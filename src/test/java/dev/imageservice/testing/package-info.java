/**
 * Shared test fixtures: the application under test on free ports, test images built in code, the
 * edge-case table every transport must answer alike, lying headers (decompression bombs), and
 * helpers for configs, memory and Prometheus text. Test code only; main code never sees it.
 */
package dev.imageservice.testing;
