/**
 * The process lifecycle: the ready log line once every port is bound, the shutdown sequence
 * (health NOT_SERVING, drain delay, stop accepting), the exit code of a planned stop, and the C
 * allocator's settings made first thing at start (NativeMemoryTuning). Sits on top
 * of the other ops rooms (it drives {@code ops.health}); nothing else in {@code ops} imports it.
 */
package dev.imageservice.ops.lifecycle;
