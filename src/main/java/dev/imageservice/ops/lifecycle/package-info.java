/**
 * The process lifecycle: the C allocator's settings applied first thing in main
 * (NativeMemoryTuning), the ready log line once every port is bound, the shutdown sequence (health
 * NOT_SERVING, drain delay, stop accepting) and the exit code of a planned stop. Sits on top of the
 * other ops rooms (it drives {@code ops.health}); nothing else in {@code ops} imports it.
 */
package dev.imageservice.ops.lifecycle;
