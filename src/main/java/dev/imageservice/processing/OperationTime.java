package dev.imageservice.processing;

/** How long one operation of a request took, for the per-operation timers. */
public record OperationTime(String operation, long nanos) {
}
